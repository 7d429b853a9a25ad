import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { ACCOUNT, AUTH_TOKEN, ORDER_DIALOG, WORKFLOW, WORKSPACE, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { until } from '../helpers/stack.js';

/** Twilio's published algorithm, written out independently of src/: HMAC-SHA1(url + sorted k+v), base64. */
function sign(url: string, params: Record<string, string>): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', AUTH_TOKEN).update(data).digest('base64');
}

let s: ChatStack;
beforeAll(async () => {
  s = await startChatStack({ serviceWebhook: true });
});
afterAll(async () => {
  await s.close();
});

const botMessages = (sid: string) => s.fake.messages(ACCOUNT, sid).filter((m) => m.source === 'api');

describe('Twilio Conversations webhook → Lex → replies posted to Twilio', () => {
  it('runs the OrderFlowers dialog in order and closes the conversation at fulfilment', async () => {
    const sid = ch(1);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    // All five customer messages at once: the connector answers each webhook at once and keeps their order.
    for (const [said] of ORDER_DIALOG) {
      const { deliveries } = await s.fake.say(ACCOUNT, sid, 'customer-1', said);
      // Service-level and conversation-scoped webhook: delivered twice, answered once (MessageSid de-duplication).
      expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    }
    await until(() => s.fake.store.get(ACCOUNT, sid)!.state === 'closed');
    expect(botMessages(sid).map((m) => m.body)).toEqual(ORDER_DIALOG.map(([, bot]) => bot));
    expect(botMessages(sid).every((m) => m.author === 'bot')).toBe(true);
    // Lex saw each customer message once, as RecognizeText on the ConversationSid session.
    expect(
      s.emu
        .session(sid)
        .events.filter((e) => e.type === 'text')
        .map((e) => e.detail?.text),
    ).toEqual(ORDER_DIALOG.map(([said]) => said));
    // The close comes after the last reply.
    const events = s.fake.store.events.filter((e) => e.conversationSid === sid && (e.type === 'message.created' || e.type === 'conversation.updated'));
    expect(events.at(-1)).toMatchObject({ type: 'conversation.updated', detail: { state: 'closed' } });
    // Every REST request was authenticated with the account's credentials and never re-fired webhooks.
    const posts = s.fake.requests.filter((r) => r.path.includes(sid));
    expect(posts.every((r) => r.accountSid === ACCOUNT && r.status >= 200 && r.status < 300)).toBe(true);
    expect(posts.some((r) => r.webhookEnabled !== undefined)).toBe(false);
    expect(posts[0].userAgent).toMatch(/^twilio-node\//);
  });

  it('hands "talk to an agent" to Flex with the transcript and slots, then keeps the bot out', async () => {
    const sid = ch(2);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    await s.fake.say(ACCOUNT, sid, 'customer-2', 'I want roses');
    await until(() => botMessages(sid).length === 1);
    await s.fake.say(ACCOUNT, sid, 'customer-2', 'talk to an agent');
    await until(() => s.fake.store.interactions.length > 0 && s.fake.store.get(ACCOUNT, sid)!.webhooks.length === 0);
    const [interaction] = s.fake.store.interactions;
    expect(interaction.channel).toEqual({ type: 'chat', initiated_by: 'customer', properties: { media_channel_sid: sid } });
    const props = interaction.routing.properties as Record<string, unknown>;
    expect(props).toMatchObject({ workspace_sid: WORKSPACE, workflow_sid: WORKFLOW, task_channel_unique_name: 'chat' });
    const attrs = props.attributes as { from: string; conversationSid: string; lex: Record<string, unknown> };
    expect(attrs.from).toBe('customer-2');
    expect(attrs.conversationSid).toBe(sid);
    expect(attrs.lex).toMatchObject({
      botId: 'ORDERFLWRS',
      intent: 'Agent',
      intentState: 'Fulfilled',
      reason: 'handoff-intent:Agent',
      previousIntent: { name: 'OrderFlowers', state: 'InProgress', slots: { FlowerType: 'roses', PickupDate: null, PickupTime: null } },
      transcript: [
        { from: 'customer', text: 'I want roses' },
        { from: 'bot', text: 'What day do you want the roses to be picked up?' },
        { from: 'customer', text: 'talk to an agent' },
        { from: 'bot', text: 'Okay, let me get you to an agent.' },
      ],
    });
    // The bot's conversation-scoped webhook is removed; the service-level one still delivers.
    expect(s.fake.store.events.some((e) => e.type === 'webhook.removed' && e.conversationSid === sid)).toBe(true);
    const lexTurns = s.emu.session(sid).events.length;
    await s.fake.say(ACCOUNT, sid, 'customer-2', 'hello? I want tulips');
    const agent = await s.fake.say(ACCOUNT, sid, 'agent-anna', 'Hi, I am Anna. How can I help?');
    expect(agent.deliveries.map((d) => d.status)).toEqual([200]);
    await s.settled();
    expect(s.emu.session(sid).events.length).toBe(lexTurns);
    expect(botMessages(sid).map((m) => m.body)).toEqual(['What day do you want the roses to be picked up?', 'Okay, let me get you to an agent.']);
    expect(s.fake.store.get(ACCOUNT, sid)!.state).toBe('active');
  });

  it('refuses a bad, missing or foreign signature with 403 and posts nothing', async () => {
    const sid = ch(3);
    s.fake.conversation(ACCOUNT, { sid });
    const params = { AccountSid: ACCOUNT, EventType: 'onMessageAdded', Source: 'SDK', ConversationSid: sid, MessageSid: 'IM' + '3'.repeat(32), Index: '0', Author: 'mallory', Body: 'order flowers' };
    const before = s.fake.requests.length;
    const post = (headers: Record<string, string>, p: Record<string, string> = params) =>
      fetch(s.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(p).toString() });
    const wrong = await post({ 'x-twilio-signature': sign('https://evil.example.com/chat/twilio', params) });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { code: 'CHAT_WEBHOOK_FORBIDDEN', message: 'unknown account or invalid X-Twilio-Signature' } });
    expect((await post({})).status).toBe(403);
    // Signed correctly but for a body that was changed on the way.
    expect((await post({ 'x-twilio-signature': sign(s.webhookUrl, params) }, { ...params, Body: 'talk to an agent' })).status).toBe(403);
    // An account this server does not serve, even with a valid signature for it.
    const foreign = { ...params, AccountSid: 'AC' + 'f'.repeat(32) };
    expect((await post({ 'x-twilio-signature': sign(s.webhookUrl, foreign) }, foreign)).status).toBe(403);
    // The shared-key (HMAC-SHA256) beta is refused rather than half-supported.
    expect((await post({ 'x-twilio-signature': sign(s.webhookUrl, params), 'x-twilio-webhooks-signature-settings': 'key=K1,algorithm=HMAC_SHA256' })).status).toBe(403);
    await s.settled();
    expect(s.fake.requests.length).toBe(before);
    expect(s.emu.core.sessions.peek(sid)).toBeUndefined();
    // The same request correctly signed (https:// form of the URL behind a proxy) is accepted.
    const proxied = 'https://chat.example.com/chat/twilio';
    const ok = await post({ 'x-twilio-signature': sign(proxied, params), 'x-forwarded-host': 'chat.example.com' });
    expect(ok.status).toBe(200);
    await until(() => botMessages(sid).length === 1);
  });

  it('serves two conversations in parallel: a slow Lex turn in one never delays the other', async () => {
    const [slow, fast] = [ch(4), ch(5)];
    s.fake.conversation(ACCOUNT, { sid: slow, webhookUrl: s.webhookUrl });
    s.fake.conversation(ACCOUNT, { sid: fast, webhookUrl: s.webhookUrl });
    s.emu.session(slow).latency = { processingDelayMs: 3000 };
    await s.fake.say(ACCOUNT, slow, 'customer-4', 'I would like to order some flowers');
    await s.fake.say(ACCOUNT, slow, 'customer-4', 'roses');
    await s.fake.say(ACCOUNT, fast, 'customer-5', 'I would like to order some flowers');
    await s.fake.say(ACCOUNT, fast, 'customer-5', 'tulips');
    await until(() => botMessages(slow).length === 2 && botMessages(fast).length === 2);
    const order = s.fake.store.events
      .filter((e) => e.type === 'message.created' && e.detail.source === 'api' && (e.conversationSid === slow || e.conversationSid === fast))
      .map((e) => e.conversationSid);
    // Both of the fast conversation's replies were posted before the slow one's first.
    expect(order).toEqual([fast, fast, slow, slow]);
    // Each conversation's own replies kept their order.
    expect(botMessages(slow).map((m) => m.body)).toEqual([ORDER_DIALOG[0][1], 'What day do you want the roses to be picked up?']);
    expect(botMessages(fast).map((m) => m.body)).toEqual([ORDER_DIALOG[0][1], 'What day do you want the tulips to be picked up?']);
  });

  it("ignores the bot's own messages and other events, answering 200", async () => {
    const sid = ch(6);
    s.fake.conversation(ACCOUNT, { sid });
    const own = { AccountSid: ACCOUNT, EventType: 'onMessageAdded', Source: 'API', ConversationSid: sid, MessageSid: 'IM' + '6'.repeat(32), Author: 'bot', Body: 'What day?' };
    const other = { AccountSid: ACCOUNT, EventType: 'onParticipantAdded', ConversationSid: sid, ParticipantSid: 'MB' + '6'.repeat(32) };
    for (const p of [own, other]) {
      const r = await fetch(s.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(s.webhookUrl, p) },
        body: new URLSearchParams(p).toString(),
      });
      expect(r.status).toBe(200);
    }
    await s.settled();
    expect(s.emu.core.sessions.peek(sid)).toBeUndefined();
  });
});
