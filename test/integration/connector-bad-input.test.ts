import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { closeOf, openWs } from '../helpers/raw-ws.js';
import { utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { ROUTES } from '../helpers/routes.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { FIRST_MESSAGE_TIMEOUT_MS: '5000', MAX_MESSAGE_BYTES: '4096' } });
});
afterAll(async () => {
  await stack.close();
});

const path = ROUTES.v2('bad-input');
const connected = (extra: Record<string, unknown>) => JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', ...demoHeaders(), ...extra });

describe('bad input gets a documented answer', () => {
  it.each([
    ['malformed JSON', '{"event": "websocket:conn', 4000, 'malformed message'],
    ['a JSON array', '[1,2,3]', 4000, 'malformed message'],
    ['a first message that is not websocket:connected', '{"event":"websocket:dtmf","digit":"1"}', 4000, 'malformed message: expected websocket:connected'],
    ['a missing aws_key', JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', aws_secret: 'x' }), 4002, 'aws_key is required'],
    ['rate 11025', connected({ 'content-type': 'audio/l16;rate=11025' }), 4002, 'content-type'],
    ['sensitivity 7', connected({ sensitivity: 7 }), 4002, 'sensitivity must be an integer from 0 to 3'],
    ['silence_time "fast"', connected({ silence_time: 'fast' }), 4002, 'silence_time'],
    ['an aws_region that is not a region', connected({ aws_region: 'evil.example.com/x' }), 4002, 'aws_region has an invalid format'],
    ['lex_session_attributes that are not JSON', connected({ lex_session_attributes: '{nope' }), 4002, 'lex_session_attributes'],
  ])('%s', async (_name, first, code, reason) => {
    const ws = await openWs(stack.wsUrl + path);
    const closed = closeOf(ws);
    ws.send(first);
    const c = await closed;
    expect(c.code).toBe(code);
    expect(c.reason).toContain(reason);
  });

  it('binary audio before configuration closes with 4001', async () => {
    const ws = await openWs(stack.wsUrl + path);
    const closed = closeOf(ws);
    ws.send(Buffer.alloc(640), { binary: true });
    expect(await closed).toEqual({ code: 4001, reason: 'audio before configuration' });
  });

  it('no configuration in time closes with 4004', async () => {
    const ws = await openWs(stack.wsUrl + path);
    expect((await closeOf(ws)).code).toBe(4004);
  });

  it('a message over MAX_MESSAGE_BYTES closes with 1009', async () => {
    const ws = await openWs(stack.wsUrl + path);
    const closed = closeOf(ws);
    ws.send(connected({}));
    ws.send(Buffer.alloc(8192), { binary: true });
    expect((await closed).code).toBe(1009);
  });

  it('malformed JSON after configuration closes with 4000; unknown events are ignored', async () => {
    const ws = await openWs(stack.wsUrl + path);
    const closed = closeOf(ws);
    ws.send(connected({}));
    ws.send(JSON.stringify({ event: 'websocket:something-new', x: 1 }));
    ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000' })); // not re-read as configuration
    ws.send(Buffer.alloc(640), { binary: true });
    ws.send('not json');
    expect((await closed).code).toBe(4000);
  });

  it.each([
    ['/nope'],
    ['/bot/OrderFlowers/alias/x/user/u1/text'],
    ['/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/x/utterance'], // sessionId too short
    ['/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/abc/recognize'],
  ])('unknown path %s is refused with 404 before the upgrade', async (p) => {
    await expect(openWs(stack.wsUrl + p)).rejects.toMatchObject({ status: 404 });
  });

  it('a call cannot choose where its Lex traffic goes (no per-call endpoint)', async () => {
    const phone = await VonagePhone.connect(stack.wsUrl + path.replace('bad-input', 'no-ssrf'), {
      rateHz: 16000,
      headers: demoHeaders({ endpoint: 'http://169.254.169.254', lex_endpoint_url: 'http://169.254.169.254', LEX_ENDPOINT_URL: 'http://169.254.169.254' }),
    });
    stack.emu.session('no-ssrf').script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 16000));
    await phone.nextReply();
    // The request reached the configured Lex endpoint (the emulator), nowhere else.
    expect(stack.emu.session('no-ssrf').recordings).toHaveLength(1);
    phone.hangUp();
  });

  it('the server keeps serving other calls after all of the above', async () => {
    const phone = await VonagePhone.connect(stack.wsUrl + path.replace('bad-input', 'after-bad'), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session('after-bad').script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 16000));
    expect((await phone.nextReply()).frames.length).toBeGreaterThan(0);
    phone.hangUp();
    const res = await fetch(stack.httpUrl + '/ping');
    expect(await res.text()).toBe('ok');
  });
});

describe('HTTP endpoints', () => {
  it('/answer serves example_ncco.json pointed at this host (X-Forwarded-* aware)', async () => {
    const res = await fetch(stack.httpUrl + '/answer?uuid=abc-123', { headers: { 'x-forwarded-host': 'bot.example.com', 'x-forwarded-proto': 'https' } });
    const ncco = (await res.json()) as { action: string; endpoint?: { uri: string; 'content-type': string }[] }[];
    const connect = ncco.find((a) => a.action === 'connect')!;
    expect(connect.endpoint![0].uri).toBe('wss://bot.example.com/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/abc-123/utterance');
    expect(connect.endpoint![0]['content-type']).toBe('audio/l16;rate=16000');
  });

  it("/answer passes the call's context to the connector: call_uuid, conversation_uuid and caller_id headers", async () => {
    const q = 'uuid=0f5c1e2a-8c1b-4b7e-9d36-2b9f0c7e4a11&conversation_uuid=CON-7a1b2c3d-8c1b-4b7e-9d36-2b9f0c7e4a11&from=447700900123&to=447700900000';
    const ncco = (await (await fetch(`${stack.httpUrl}/answer?${q}`)).json()) as { action: string; endpoint?: { uri: string; headers: Record<string, unknown> }[] }[];
    const ep = ncco.find((a) => a.action === 'connect')!.endpoint![0];
    expect(ep.uri).toContain('/sessions/CON-7a1b2c3d-8c1b-4b7e-9d36-2b9f0c7e4a11/utterance');
    expect(ep.headers).toMatchObject({ call_uuid: '0f5c1e2a-8c1b-4b7e-9d36-2b9f0c7e4a11', conversation_uuid: 'CON-7a1b2c3d-8c1b-4b7e-9d36-2b9f0c7e4a11', caller_id: '447700900123' });
  });

  it('/ping, /health, /ready, /metrics; anything else 404', async () => {
    expect((await fetch(stack.httpUrl + '/ping')).status).toBe(200);
    expect(await (await fetch(stack.httpUrl + '/health')).json()).toMatchObject({ status: 'ok' });
    expect(await (await fetch(stack.httpUrl + '/ready')).json()).toEqual({ ready: true });
    const metrics = await (await fetch(stack.httpUrl + '/metrics')).text();
    expect(metrics).toContain('lexconn_active_calls');
    expect(metrics).toContain('nodejs_eventloop_lag_p99_seconds');
    expect((await fetch(stack.httpUrl + '/other')).status).toBe(404);
  });
});
