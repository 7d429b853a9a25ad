import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { ROUTES } from '../helpers/routes.js';

const KEY = 'AKIASECRETSTESTKEY01';
const SECRET = 'zS3cr3t/ValueThatMustNeverLeak+0123456789';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENmustNotLeak';
const AUTH = 'connector-auth-token-must-not-leak';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { CONNECTOR_AUTH_TOKEN: AUTH, LOG_LEVEL: 'trace' },
    emulator: { keys: [{ accessKeyId: KEY, secretAccessKey: SECRET, sessionToken: TOKEN }], conversation: { heartbeatMs: 0 } },
  });
});
afterAll(async () => {
  await stack.close();
});

const path = ROUTES.v2;

describe('secrets never leak', () => {
  it('full calls at trace level, a Lex auth failure and /metrics contain no secret, session token or auth token', async () => {
    const headers = { aws_key: KEY, aws_secret: SECRET, aws_session_token: TOKEN };
    // A good call authenticated by header, through a whole turn and hang-up.
    const ok = await VonagePhone.connect(stack.wsUrl + path('secret-ok'), { rateHz: 16000, headers, authorization: `Bearer ${AUTH}` });
    stack.emu.session('secret-ok').script.push('order flowers');
    ok.sendAudio(utterance('order flowers', 16000));
    await ok.nextReply();
    ok.sendDtmf('1');
    ok.sendDtmf('#');
    await ok.nextReply();
    ok.hangUp();
    await ok.closed;
    // A call authenticated by the first message's token, whose secret Lex rejects.
    const bad = await VonagePhone.connect(stack.wsUrl + path('secret-bad'), { rateHz: 8000, headers: { ...headers, aws_secret: `${SECRET}x`, token: AUTH } });
    bad.sendAudio(utterance('order flowers', 8000));
    while (!stack.logs.some((l) => l.includes('LEX_AUTH_FAILED'))) await new Promise((r) => setTimeout(r, 5));
    bad.hangUp();
    await bad.closed;
    // A call with a wrong token is refused.
    const denied = await VonagePhone.connect(stack.wsUrl + path('secret-denied'), { rateHz: 8000, headers: { ...headers, token: 'wrong' } });
    expect((await denied.closed).code).toBe(4003);
    await expect(VonagePhone.connect(stack.wsUrl + path('secret-denied'), { rateHz: 8000, headers, authorization: 'Bearer wrong' })).rejects.toMatchObject({ status: 401 });

    const logs = stack.logs.join('');
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain('call ended');
    const metrics = await (await fetch(stack.httpUrl + '/metrics')).text();
    for (const secret of [SECRET, TOKEN, AUTH, `${SECRET}x`]) {
      expect(logs).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
  });
});
