import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { demoHeaders, until } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { startProcess } from '../helpers/process.js';
import { RawWsClient } from '../helpers/raw-ws-client.js';

// Issue 10.7: with a client that never answers the close frame, the process waited for ws's
// 30 s close handshake before exiting, past Heroku's and Kubernetes' kill; some "call ended" lines were lost.
let emu: Emulator;
beforeAll(async () => {
  emu = await createEmulator({ conversation: { heartbeatMs: 0 } });
});
afterAll(async () => {
  await emu.close();
});

const connected = JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000', ...demoHeaders() });

describe('drain is a deadline', () => {
  // The vitest timeout (15 s) is the bound: before the fix the exit came after ws's 30 s close timeout.
  it('terminates sockets that never answer the close frame, logs every call end, and exits 0', { timeout: 15_000 }, async () => {
    const app = await startProcess({ LEX_ENDPOINT_URL: emu.url, DRAIN_TIMEOUT_MS: '300' });
    const deaf = await RawWsClient.connect(app.port, ROUTES.v2('drain-deaf'));
    deaf.sendText(connected);
    const polite = await VonagePhone.connect(`ws://${app.host}${ROUTES.v2('drain-polite')}`, { rateHz: 8000, headers: demoHeaders() });
    await until(async () => /lexconn_active_calls\{[^}]*\} 2/.test(await (await fetch(`http://${app.host}/metrics`)).text()));
    app.proc.kill('SIGTERM');
    expect(await polite.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    // The deaf client got the close frame but never answers it; the process must not wait for it.
    await deaf.waitFor((f) => f.opcode === 8);
    expect(deaf.closeFrame?.code).toBe(1001);
    expect(await app.exit).toBe(0);
    await deaf.ended;
    const ended = app.lines.filter((l) => l.includes('"msg":"call ended"'));
    expect(ended).toHaveLength(2);
    expect(app.lines.some((l) => l.includes('"msg":"drained"'))).toBe(true);
  });
});
