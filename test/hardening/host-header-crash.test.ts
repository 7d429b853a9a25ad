import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { demoHeaders } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { startProcess, type ConnectorProcess } from '../helpers/process.js';
import { get, rawRequest, statusOf } from '../helpers/raw-http.js';

// Issue 10.1: a Host header that passes the hostname pattern but is not a valid URL host
// (1.2.3.256, 0x100000000) threw from publicOrigin, uncaught: the process exited and every call ended with 1006.
let emu: Emulator;
let app: ConnectorProcess;
beforeAll(async () => {
  emu = await createEmulator({ conversation: { heartbeatMs: 0 } });
  app = await startProcess({ LEX_ENDPOINT_URL: emu.url });
});
afterAll(async () => {
  app.proc.kill('SIGKILL');
  await emu.close();
});

describe('a hostile Host header never ends the process', () => {
  it.each([
    ['/answer', { Host: '1.2.3.256' }],
    ['/answer', { Host: '0x100000000' }],
    ['/answer', { Host: 'localhost', 'X-Forwarded-Host': '999.999.999.999' }],
    ['/answer', { Host: '[::1' }],
    ['/twiml', { Host: '1.2.3.256' }],
    ['/twiml', { Host: 'localhost', 'X-Forwarded-Host': '999.999.999.999', 'X-Forwarded-Proto': 'https' }],
    ['/answer?uuid=../../x', { Host: '256.256.256.256:99999' }],
  ])('GET %s with %j answers and the call in progress goes on', async (path, headers) => {
    const phone = await VonagePhone.connect(`ws://${app.host}${ROUTES.v2('host-crash')}`, { rateHz: 16000, headers: demoHeaders() });
    const res = await rawRequest(app.port, get(path, headers));
    expect(statusOf(res)).toBeDefined();
    expect(statusOf(res)).toBeLessThan(500);
    // The server still serves and the call is still up.
    expect(await (await fetch(`http://${app.host}/ping`)).text()).toBe('ok');
    expect(phone.ws.readyState).toBe(phone.ws.OPEN);
    expect(app.proc.exitCode).toBeNull();
    phone.hangUp();
    expect((await phone.closed).code).toBe(1000);
  });
});
