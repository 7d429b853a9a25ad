import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { closeOf, openWs } from '../helpers/raw-ws.js';
import { RawWsClient } from '../helpers/raw-ws-client.js';
import { rawRequest, statusOf } from '../helpers/raw-http.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';

// Issue 10.10: the smaller findings, each reproduced through a real socket.
const AUTH = 'edge-auth-token';
let stack: Stack;
let open: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CONNECTOR_AUTH_TOKEN: AUTH } });
  open = await startStack();
});
afterAll(async () => {
  await stack.close();
  await open.close();
});
const portOf = (s: Stack) => Number(new URL(s.httpUrl).port);

async function firstMessageClose(s: Stack, path: string, first: unknown): Promise<{ code: number; reason: string }> {
  const ws = await openWs(s.wsUrl + path);
  const closed = closeOf(ws);
  ws.send(typeof first === 'string' ? first : JSON.stringify(first));
  return closed;
}

describe('path ids', () => {
  it.each([
    '/bot/../alias/x/user/abc/content',
    '/bot/./alias/x/user/abc/content',
    '/bot/OrderFlowers/alias/%24LATEST/user/../content',
    '/bot/OrderFlowers/alias/%24LATEST/user/%2e%2e/content',
    '/bot/OrderFlowers/alias/%2E/user/abcd/content',
    '/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/../utterance',
    '/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/%2e%2e/conversation',
    '/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/.../utterance',
  ])('%s is refused with 404 before the upgrade', async (path) => {
    const res = await rawRequest(
      portOf(open),
      [`GET ${path} HTTP/1.1`, 'Host: x', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', '', ''].join('\r\n'),
      1000,
    );
    expect(statusOf(res)).toBe(404);
  });
});

describe('authentication comes before validation', () => {
  it('an unauthenticated first message with a bad setting gets 4003, not the validation detail', async () => {
    const c = await firstMessageClose(stack, ROUTES.v2('auth-first'), { event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', ...demoHeaders(), sensitivity: 9 });
    expect(c).toEqual({ code: 4003, reason: 'unauthorized' });
  });
  it('an unauthenticated Twilio start with a bad setting gets 4003', async () => {
    const ws = await openWs(stack.wsUrl + ROUTES.v2('auth-first-twilio'));
    const closed = closeOf(ws);
    ws.send(
      JSON.stringify({
        event: 'start',
        streamSid: 'MZ1',
        start: { streamSid: 'MZ1', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }, customParameters: { ...demoHeaders(), clip_min: 'x' } },
      }),
    );
    expect(await closed).toEqual({ code: 4003, reason: 'unauthorized' });
  });
});

describe('media formats are checked strictly', () => {
  const start = (mediaFormat: unknown) => ({ event: 'start', streamSid: 'MZ1', start: { streamSid: 'MZ1', ...(mediaFormat === undefined ? {} : { mediaFormat }), customParameters: demoHeaders() } });
  it.each([
    ['no mediaFormat', start(undefined)],
    ['sampleRate as a string', start({ encoding: 'audio/x-mulaw', sampleRate: '8000', channels: 1 })],
    ['sampleRate 0', start({ encoding: 'audio/x-mulaw', sampleRate: 0, channels: 1 })],
    ['no encoding', start({ sampleRate: 8000, channels: 1 })],
    ['two channels', start({ encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 2 })],
  ])('Twilio start with %s is refused with 4002', async (_n, msg) => {
    const c = await firstMessageClose(open, ROUTES.v2('fmt-twilio'), msg);
    expect(c.code).toBe(4002);
    expect(c.reason).toContain('mediaFormat');
  });
  it.each(['audio/opus;rate=16000', 'audio/pcmu;rate=8000', 'rate=16000', 'audio/l16;rate=16000;rate=8000'])('Vonage content-type %s is refused with 4002', async (ct) => {
    const c = await firstMessageClose(open, ROUTES.v2('fmt-vonage'), { event: 'websocket:connected', 'content-type': ct, ...demoHeaders() });
    expect(c.code).toBe(4002);
    expect(c.reason).toContain('content-type');
  });
  it('audio/l16;rate=16000 with spaces and upper case is accepted', async () => {
    const ws = await openWs(open.wsUrl + ROUTES.v2('fmt-ok'));
    ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'Audio/L16; rate=16000', ...demoHeaders() }));
    await until(() => open.connector.activeCalls() > 0);
    ws.close();
  });
});

describe('close reasons never echo client input', () => {
  it('a Twilio event before start is named generically', async () => {
    const ws = await openWs(open.wsUrl + ROUTES.v2('echo-event'));
    const closed = closeOf(ws);
    ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    ws.send(JSON.stringify({ event: '<script>alert(1)</script>' }));
    const c = await closed;
    expect(c.code).toBe(4007);
    expect(c.reason).not.toContain('script');
    expect(c.reason).toBe('protocol error: expected start');
  });
});

describe('WebSocket protocol faults', () => {
  it('invalid UTF-8 in a text frame closes with 1007 (documented)', async () => {
    const c = await RawWsClient.connect(portOf(open), ROUTES.v2('bad-utf8'));
    c.sendText(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    const f = await c.waitFor((x) => x.opcode === 8);
    expect(f.payload.readUInt16BE(0)).toBe(1007);
    c.destroy();
  });
  it('a ping burst gets a close frame (4009), not a dropped socket', async () => {
    const c = await RawWsClient.connect(portOf(open), ROUTES.v2('ping-burst'));
    c.sendText(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000', ...demoHeaders() }));
    await until(() => open.connector.activeCalls() > 0);
    for (let i = 0; i < 5000 && !c.sock.destroyed; i++) c.sendFrame(9, Buffer.from('p'));
    const f = await c.waitFor((x) => x.opcode === 8);
    expect(f.payload.readUInt16BE(0)).toBe(4009);
    c.destroy();
  });
});

describe('Twilio signature replay', () => {
  it('a signature is good for one live stream: a replay while it is live is refused with 403', async () => {
    const token = 'replay-twilio-token';
    const s = await startStack({ env: { TWILIO_AUTH_TOKEN: token, PUBLIC_URL: 'https://connector.example.com' } });
    try {
      const path = ROUTES.v2('CA0123456789abcdef0123456789abcdef');
      const sign = { authToken: token, url: `wss://connector.example.com${path}` };
      const first = await TwilioPhone.connect(s.wsUrl + path, { customParameters: demoHeaders() as Record<string, string>, sign });
      await until(() => s.connector.activeCalls() === 1);
      await expect(TwilioPhone.connect(s.wsUrl + path, { customParameters: demoHeaders() as Record<string, string>, sign })).rejects.toMatchObject({ status: 403 });
      first.hangUp();
      await first.closed;
    } finally {
      await s.close();
    }
  });
});
