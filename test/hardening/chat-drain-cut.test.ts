import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { until } from '../helpers/stack.js';

// "A chat never loses a bot message silently" (issue 14). At shutdown, turns still queued or
// running when DRAIN_TIMEOUT_MS passes are cut (the process exits): each such customer message
// must be logged at error with its conversation and counted, not vanish without a trace.
let s: ChatStack;
beforeAll(async () => {
  s = await startChatStack({ env: { DRAIN_TIMEOUT_MS: '300', TWILIO_TIMEOUT_MS: '60000' } });
});
afterAll(async () => {
  await s.close();
});

async function errorsOf(code: string): Promise<number> {
  const m = await s.connector.metrics.errors.get();
  return m.values.find((v) => v.labels.code === code)?.value ?? 0;
}

describe('chat turns cut by the drain deadline', () => {
  it('a turn whose Twilio post hangs past the deadline, and the message queued behind it: logged at error and counted', async () => {
    const sid = ch(0x401);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    s.fake.fail({ failure: { type: 'timeout' }, op: 'message.create', conversationSid: sid, times: -1 });
    expect((await s.fake.say(ACCOUNT, sid, 'customer', 'I want roses')).deliveries[0].status).toBe(200);
    expect((await s.fake.say(ACCOUNT, sid, 'customer', 'tomorrow')).deliveries[0].status).toBe(200);
    // The first turn is posting (held by the fake), the second waits behind it.
    await until(() => s.fake.requests.some((r) => r.op === 'message.create'));
    await s.connector.drain();
    const cut = s.logs.filter((l) => l.includes('"code":"CHAT_DRAINING"') && l.includes('"level":50'));
    expect(cut).toHaveLength(1);
    expect(JSON.parse(cut[0])).toMatchObject({ turns: 2, conversations: 1 });
    expect(await errorsOf('CHAT_DRAINING')).toBe(2);
    const drops = (await s.connector.metrics.registry.getSingleMetric('lexconn_chat_queue_drops_total')!.get()).values;
    expect(drops.find((v) => v.labels.channel === 'twilio' && v.labels.reason === 'draining')?.value).toBe(2);
  });
});
