import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/transports/twilio/signature.js';
import { ACCOUNT, AUTH_TOKEN, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { until } from '../helpers/stack.js';

// A webhook refused with 503 CHAT_QUEUE_FULL (and `Retry-After: 1`) was still remembered as
// delivered: its redelivery (Twilio's, if it retries; a proxy's; an operator's replay of a failed
// request) was answered 200 "duplicate" and the customer's message never reached the bot.
let s: ChatStack;
beforeAll(async () => {
  s = await startChatStack({ env: { CHAT_QUEUE_PER_CONVERSATION: '1' } });
});
afterAll(async () => {
  await s.close();
});

function post(params: Record<string, string>): Promise<Response> {
  return fetch(s.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, s.webhookUrl, params) },
    body: new URLSearchParams(params).toString(),
  });
}

describe('a refused webhook may be delivered again', () => {
  it('503 CHAT_QUEUE_FULL, then the same MessageSid once there is room: queued and answered', async () => {
    const sid = ch(0x601);
    s.fake.conversation(ACCOUNT, { sid });
    s.emu.session(sid).latency = { processingDelayMs: 1500 };
    const msg = (n: number, body: string) => ({
      AccountSid: ACCOUNT,
      EventType: 'onMessageAdded',
      ConversationSid: sid,
      MessageSid: `IM${n.toString(16).padStart(32, '0')}`,
      Author: 'customer',
      Body: body,
    });
    expect((await post(msg(1, 'I want roses'))).status).toBe(200);
    const refused = await post(msg(2, 'tomorrow'));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    await s.settled();
    s.emu.session(sid).latency = undefined;
    // The sender tries again, as the answer asked.
    expect((await post(msg(2, 'tomorrow'))).status).toBe(200);
    await until(() => s.fake.messages(ACCOUNT, sid).filter((m) => m.source === 'api').length === 2);
    expect(s.fake.messages(ACCOUNT, sid).map((m) => m.body)).toEqual(['What day do you want the roses to be picked up?', 'At what time do you want the roses to be picked up?']);
    // A real duplicate (both deliveries queued) is still answered once.
    expect((await post(msg(2, 'tomorrow'))).status).toBe(200);
    await s.settled();
    expect(s.fake.messages(ACCOUNT, sid)).toHaveLength(2);
  });
});
