import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/transports/twilio/signature.js';
import { ACCOUNT, AUTH_TOKEN, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';

// Floods of one conversation and of many: every bound holds (CHAT_QUEUE_PER_CONVERSATION per
// conversation, CHAT_MAX_CONVERSATIONS with work), refusals are 503 and counted, and what was
// taken reaches Lex in order, once.
let s: ChatStack;
beforeAll(async () => {
  s = await startChatStack({ env: { CHAT_QUEUE_PER_CONVERSATION: '2', CHAT_MAX_CONVERSATIONS: '4' } });
});
afterAll(async () => {
  await s.close();
});

function post(params: Record<string, string>): Promise<number> {
  return fetch(s.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, s.webhookUrl, params) },
    body: new URLSearchParams(params).toString(),
  }).then((r) => r.status);
}

describe('chat floods', () => {
  it('10 conversations x 5 messages at once against a slow Lex: 4 conversations x 2 messages taken, the rest 503, each taken message answered once in order', async () => {
    const sids = Array.from({ length: 10 }, (_, i) => ch(0x700 + i));
    for (const sid of sids) {
      s.fake.conversation(ACCOUNT, { sid });
      s.emu.session(sid).latency = { processingDelayMs: 4000 };
    }
    // Each conversation's messages in order (one after the other), all conversations at once.
    const sent: { sid: string; body: string; status: number }[] = [];
    await Promise.all(
      sids.map(async (sid, i) => {
        for (let m = 0; m < 5; m++) {
          const body = `message ${m} of ${i}`;
          const params = {
            AccountSid: ACCOUNT,
            EventType: 'onMessageAdded',
            ConversationSid: sid,
            MessageSid: `IM${(0x7000 + i * 16 + m).toString(16).padStart(32, '0')}`,
            Author: 'customer',
            Body: body,
          };
          sent.push({ sid, body, status: await post(params) });
        }
      }),
    );
    const statuses = sent.map((x) => x.status);
    const taken = sent.filter((x) => x.status === 200);
    expect(statuses.filter((x) => x === 200)).toHaveLength(8);
    expect(statuses.filter((x) => x === 503)).toHaveLength(42);
    expect(new Set(taken.map((x) => x.sid)).size).toBe(4);
    await s.settled();
    for (const sid of new Set(taken.map((x) => x.sid))) {
      const toLex = s.emu
        .session(sid)
        .events.filter((e) => e.type === 'text')
        .map((e) => e.detail?.text);
      expect(toLex).toEqual(taken.filter((x) => x.sid === sid).map((x) => x.body));
    }
    const drops = (await s.connector.metrics.registry.getSingleMetric('lexconn_chat_queue_drops_total')!.get()).values;
    const dropped = drops.filter((v) => v.labels.channel === 'twilio').reduce((n, v) => n + v.value, 0);
    expect(dropped).toBe(42);
  });
});
