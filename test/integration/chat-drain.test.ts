import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, BEARER, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';

let s: ChatStack;
beforeAll(async () => {
  // A drain limit far above the turns' duration (the stack's clock runs 10x).
  s = await startChatStack({ env: { DRAIN_TIMEOUT_MS: '600000' } });
});
afterAll(async () => {
  await s.close();
});

describe('chat during drain', () => {
  it('finishes queued turns, still answers Twilio (it does not retry), refuses API requests with 503 CHAT_DRAINING', async () => {
    const sid = ch(0x301);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    s.emu.session(sid).latency = { processingDelayMs: 500 };
    const first = await s.fake.say(ACCOUNT, sid, 'customer', 'I want roses');
    expect(first.deliveries[0].status).toBe(200);
    const drained = s.connector.drain();
    const late = await s.fake.say(ACCOUNT, sid, 'customer', 'tomorrow');
    expect(late.deliveries[0].status).toBe(200);
    const api = await fetch(`${s.httpUrl}/chat/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/drain-1/text`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BEARER}`, 'x-aws-key': DEMO_KEY.accessKeyId, 'x-aws-secret': DEMO_KEY.secretAccessKey },
      body: JSON.stringify({ text: 'help' }),
    });
    expect(api.status).toBe(503);
    expect((await api.json()).error.code).toBe('CHAT_DRAINING');
    await drained;
    // Both turns were answered before the drain completed.
    expect(
      s.fake
        .messages(ACCOUNT, sid)
        .filter((m) => m.source === 'api')
        .map((m) => m.body),
    ).toEqual(['What day do you want the roses to be picked up?', 'At what time do you want the roses to be picked up?']);
  });
});
