import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEARER, ORDER_DIALOG, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';

let s: ChatStack;
beforeAll(async () => {
  s = await startChatStack();
});
afterAll(async () => {
  await s.close();
});

const path = (session: string, bot = 'ORDERFLWRS', alias = 'TSTALIASID', locale = 'en_US') => `/chat/bots/${bot}/botAliases/${alias}/botLocales/${locale}/sessions/${session}/text`;
const creds = { 'x-aws-key': DEMO_KEY.accessKeyId, 'x-aws-secret': DEMO_KEY.secretAccessKey, 'x-aws-region': 'us-east-1' };

async function say(session: string, body: unknown, headers: Record<string, string> = {}, p = path(session)) {
  const res = await fetch(s.httpUrl + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BEARER}`, ...creds, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describe('generic chat API', () => {
  it('drives the OrderFlowers dialog with the same answers as the Twilio channel, then reports closed', async () => {
    const replies: string[] = [];
    let last: Record<string, any> = {};
    for (const [said] of ORDER_DIALOG) {
      const r = await say('web-order-1', { text: said });
      expect(r.status).toBe(200);
      replies.push(...r.json.messages.map((m: { text: string }) => m.text));
      last = r.json;
    }
    expect(replies).toEqual(ORDER_DIALOG.map(([, bot]) => bot));
    expect(last).toMatchObject({
      sessionId: 'web-order-1',
      messages: [{ contentType: 'PlainText', text: ORDER_DIALOG[4][1] }],
      intent: { name: 'OrderFlowers', state: 'Fulfilled', confirmationState: 'Confirmed', slots: { FlowerType: 'roses', PickupDate: '2026-11-23', PickupTime: '10:00' } },
      dialogAction: { type: 'Close' },
      handoff: false,
      closed: true,
      reason: 'close-intent:OrderFlowers:Fulfilled',
    });
  });

  it('reports the hand-off of "talk to an agent", with slot state and session attributes', async () => {
    const first = await say('web-agent-1', { text: 'I want roses', sessionAttributes: { channel: 'web' }, requestAttributes: { page: 'checkout' } });
    expect(first.json).toMatchObject({
      intent: { name: 'OrderFlowers', slots: { FlowerType: 'roses' } },
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'PickupDate' },
      handoff: false,
      closed: false,
      reason: 'continue',
    });
    expect(first.json.sessionAttributes).toEqual({ channel: 'web' });
    expect(first.json.requestAttributes).toEqual({ page: 'checkout' });
    const agent = await say('web-agent-1', { text: 'talk to an agent' });
    expect(agent.json).toMatchObject({
      messages: [{ contentType: 'PlainText', text: 'Okay, let me get you to an agent.' }],
      intent: { name: 'Agent' },
      handoff: true,
      closed: false,
      reason: 'handoff-intent:Agent',
    });
    expect(agent.json.sessionAttributes).toMatchObject({ handoff: 'agent' });
  });

  it('refuses bad input with a clear 4xx and a stable code', async () => {
    const long = 'a'.repeat(1025);
    const cases: [string, () => ReturnType<typeof say>, number, string][] = [
      ['missing text', () => say('web-bad', {}), 400, 'CHAT_TEXT_MISSING'],
      ['empty text', () => say('web-bad', { text: '  ' }), 400, 'CHAT_TEXT_MISSING'],
      ['text not a string', () => say('web-bad', { text: 42 }), 400, 'CHAT_TEXT_MISSING'],
      ['text over 1024 characters', () => say('web-bad', { text: long }), 400, 'CHAT_TEXT_TOO_LONG'],
      ['bad JSON', () => say('web-bad', '{"text": '), 400, 'CHAT_BAD_JSON'],
      ['JSON that is not an object', () => say('web-bad', '["hi"]'), 400, 'CHAT_BAD_JSON'],
      ['bad bot id', () => say('web-bad', { text: 'hi' }, {}, path('web-bad', 'SHORT')), 400, 'CHAT_BAD_ID'],
      ['bad alias id', () => say('web-bad', { text: 'hi' }, {}, path('web-bad', 'ORDERFLWRS', 'TST-ALIAS!')), 400, 'CHAT_BAD_ID'],
      ['bad locale', () => say('web-bad', { text: 'hi' }, {}, path('web-bad', 'ORDERFLWRS', 'TSTALIASID', 'english')), 400, 'CHAT_BAD_ID'],
      ['bad session id', () => say('x', { text: 'hi' }), 400, 'CHAT_BAD_ID'],
      ['session id with +', () => say('a%2Bb', { text: 'hi' }), 400, 'CHAT_BAD_ID'],
      ['attributes not strings', () => say('web-bad', { text: 'hi', sessionAttributes: { n: 1 } }), 400, 'CHAT_BAD_ATTRIBUTES'],
      ['reserved request attribute', () => say('web-bad', { text: 'hi', requestAttributes: { 'x-amz-lex:foo': 'x' } }), 400, 'CHAT_BAD_ATTRIBUTES'],
      ['wrong content type', () => say('web-bad', 'text=hi', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'CHAT_UNSUPPORTED_MEDIA_TYPE'],
      ['body over 32 KB', () => say('web-bad', { text: 'hi', sessionAttributes: { big: 'x'.repeat(40_000) } }), 413, 'CHAT_BODY_TOO_LARGE'],
      ['no AWS credentials', () => say('web-bad', { text: 'hi' }, { 'x-aws-key': '', 'x-aws-secret': '' }), 400, 'CHAT_CREDENTIALS_MISSING'],
      ['malformed AWS key', () => say('web-bad', { text: 'hi' }, { 'x-aws-key': 'short' }), 400, 'CHAT_BAD_CREDENTIALS'],
      ['bad region', () => say('web-bad', { text: 'hi' }, { 'x-aws-region': 'mars' }), 400, 'CHAT_BAD_CREDENTIALS'],
      ['no bearer token', () => say('web-bad', { text: 'hi' }, { authorization: '' }), 401, 'CHAT_UNAUTHORIZED'],
      ['wrong bearer token', () => say('web-bad', { text: 'hi' }, { authorization: 'Bearer nope' }), 403, 'CHAT_FORBIDDEN'],
    ];
    for (const [name, call, status, code] of cases) {
      const r = await call();
      expect({ name, status: r.status, code: r.json.error?.code }).toEqual({ name, status, code });
      expect(typeof r.json.error.message).toBe('string');
    }
    // Nothing reached Lex.
    expect(s.emu.core.sessions.peek('web-bad')).toBeUndefined();
    const get = await fetch(s.httpUrl + path('web-bad'), { headers: { authorization: `Bearer ${BEARER}` } });
    expect(get.status).toBe(405);
    expect((await get.json()).error.code).toBe('CHAT_METHOD_NOT_ALLOWED');
    const unknown = await fetch(s.httpUrl + '/chat/nothing-here', { method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it('maps Lex errors through src/bots/errors.ts: unknown bot 404, wrong secret 403, throttling 429', async () => {
    const notFound = await say('web-lex-1', { text: 'hi' }, {}, path('web-lex-1', 'NOSUCHBOT1'));
    expect(notFound).toMatchObject({ status: 404, json: { error: { code: 'LEX_NOT_FOUND' } } });
    const denied = await say('web-lex-2', { text: 'hi' }, { 'x-aws-secret': 'wrong-secret' });
    expect(denied).toMatchObject({ status: 403, json: { error: { code: 'LEX_AUTH_FAILED' } } });
    s.emu.session('web-lex-3').faults.push({ fault: { type: 'throttle' }, times: 5 });
    const throttled = await say('web-lex-3', { text: 'hi' });
    expect(throttled).toMatchObject({ status: 429, json: { error: { code: 'LEX_THROTTLED' } } });
  });

  it("accepts the voice routes' header spelling (aws_key, aws_secret)", async () => {
    const r = await say('web-underscore', { text: 'help' }, { 'x-aws-key': '', 'x-aws-secret': '', aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey });
    expect(r.status).toBe(200);
    expect(r.json.messages[0].text).toMatch(/^I can help you order flowers/);
  });
});
