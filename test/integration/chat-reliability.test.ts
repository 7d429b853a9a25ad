import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCOUNT, AUTH_TOKEN, BEARER, WORKSPACE, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { until } from '../helpers/stack.js';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';

const ACCOUNT_2 = 'AC' + 'd4'.repeat(16);
const TOKEN_2 = 'second-tenant-auth-token-must-not-leak';
const API_KEY = 'SK' + 'e5'.repeat(16);
const API_SECRET = 'second-tenant-api-key-secret-must-not-leak';
const APOLOGY = 'Sorry, I could not understand that just now. Please try again.';

let s: ChatStack;
beforeAll(async () => {
  // Two tenants: the environment one, and one from a tenants file that uses an API key whose
  // secret comes from the environment (`env:`).
  const dir = mkdtempSync(join(tmpdir(), 'chat-tenants-'));
  const file = join(dir, 'tenants.json');
  writeFileSync(
    file,
    JSON.stringify({
      tenants: [
        {
          name: 'second',
          accountSid: ACCOUNT_2,
          authToken: 'env:TENANT2_TOKEN',
          apiKeySid: API_KEY,
          apiKeySecret: 'env:TENANT2_API_SECRET',
          botIdentity: 'flower-bot',
          bot: { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey },
          flex: { workspaceSid: WORKSPACE, taskChannel: 'chat' },
          rules: { handoffIntents: ['HelpIntent'] },
        },
      ],
    }),
  );
  s = await startChatStack({ env: { CHAT_TENANTS_FILE: file, TENANT2_TOKEN: TOKEN_2, TENANT2_API_SECRET: API_SECRET, CHAT_ERROR_MESSAGE: APOLOGY } });
  s.fake.accounts.push({ accountSid: ACCOUNT_2, authToken: TOKEN_2, apiKeys: [{ sid: API_KEY, secret: API_SECRET }] });
});
afterAll(async () => {
  await s.close();
});

const botMessages = (account: string, sid: string) =>
  s.fake
    .messages(account, sid)
    .filter((m) => m.source === 'api')
    .map((m) => m.body);
const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
  const m = await s.connector.metrics.registry.getSingleMetric(name)!.get();
  return m.values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((a, v) => a + v.value, 0);
};

describe('Twilio REST failures', () => {
  it('retries 429 (honouring Retry-After) and 5xx, then posts the reply', async () => {
    const sid = ch(0x101);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    s.fake.fail({ failure: { type: 'status', status: 429, retryAfter: '0' }, op: 'message.create', conversationSid: sid, times: 2 });
    s.fake.fail({ failure: { type: 'status', status: 503 }, op: 'message.create', conversationSid: sid, times: 1 });
    await s.fake.say(ACCOUNT, sid, 'customer', 'I want roses');
    await until(() => botMessages(ACCOUNT, sid).length === 1);
    const attempts = s.fake.requests.filter((r) => r.op === 'message.create' && r.path.includes(sid)).map((r) => r.status);
    expect(attempts).toEqual([429, 429, 503, 201]);
    expect(await metric('lexconn_chat_twilio_retries_total', { op: 'message.create', status: '429' })).toBe(2);
    expect(await metric('lexconn_chat_twilio_retries_total', { op: 'message.create', status: '503' })).toBe(1);
    expect(s.logs.filter((l) => l.includes('Twilio request failed; retrying') && l.includes('"op":"message.create"')).length).toBeGreaterThanOrEqual(3);
  });

  it('retries a request that times out', async () => {
    const sid = ch(0x102);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    s.fake.fail({ failure: { type: 'timeout' }, op: 'message.create', conversationSid: sid, times: 1 });
    await s.fake.say(ACCOUNT, sid, 'customer', 'I want tulips');
    await until(() => botMessages(ACCOUNT, sid).length === 1);
    expect(await metric('lexconn_chat_twilio_retries_total', { op: 'message.create', status: 'ECONNABORTED' })).toBe(1);
  });

  it('never loses a bot message silently: after the bound the failure is logged with a code and counted, and the conversation goes on', async () => {
    const sid = ch(0x103);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    const failedBefore = await metric('lexconn_chat_bot_messages_total', { result: 'failed' });
    s.fake.fail({ failure: { type: 'status', status: 500 }, op: 'message.create', conversationSid: sid, times: 4 });
    await s.fake.say(ACCOUNT, sid, 'customer', 'I want lilies');
    await until(() => s.logs.some((l) => l.includes('"code":"TWILIO_POST_FAILED"')));
    const line = JSON.parse(s.logs.find((l) => l.includes('"code":"TWILIO_POST_FAILED"'))!);
    expect(line).toMatchObject({ level: 50, code: 'TWILIO_POST_FAILED', status: 500, twilioCode: 20500, conversationSid: sid, msg: 'bot message not delivered to the conversation' });
    expect(s.fake.requests.filter((r) => r.op === 'message.create' && r.path.includes(sid)).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(await metric('lexconn_chat_bot_messages_total', { result: 'failed' })).toBe(failedBefore + 1);
    expect(await metric('lexconn_errors_total', { code: 'TWILIO_POST_FAILED' })).toBe(1);
    await s.fake.say(ACCOUNT, sid, 'customer', 'tomorrow');
    await until(() => botMessages(ACCOUNT, sid).length === 1);
    expect(botMessages(ACCOUNT, sid)).toEqual(['At what time do you want the lilies to be picked up?']);
  });

  it('keeps the conversation with the bot when the Flex interaction cannot be created', async () => {
    const sid = ch(0x104);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    s.fake.fail({ failure: { type: 'status', status: 500 }, op: 'interaction.create', times: 4 });
    await s.fake.say(ACCOUNT, sid, 'customer', 'talk to an agent');
    await until(() => s.logs.some((l) => l.includes('"code":"TWILIO_HANDOFF_FAILED"')));
    expect(await metric('lexconn_chat_handoffs_total', { result: 'failed' })).toBe(1);
    expect(s.fake.store.get(ACCOUNT, sid)!.webhooks.length).toBe(1);
    await s.fake.say(ACCOUNT, sid, 'customer', 'help');
    await until(() => botMessages(ACCOUNT, sid).length === 2);
    expect(botMessages(ACCOUNT, sid)[1]).toMatch(/^I can help you order flowers/);
  });
});

describe('Lex fails', () => {
  it('posts CHAT_ERROR_MESSAGE, logs the Lex code, and answers the next message normally', async () => {
    const sid = ch(0x106);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    // Every SDK attempt of this turn (LEX_MAX_ATTEMPTS=3) fails.
    s.emu.session(sid).faults.push({ fault: { type: 'error', status: 500 }, times: 3 });
    await s.fake.say(ACCOUNT, sid, 'customer', 'I want roses');
    await until(() => botMessages(ACCOUNT, sid).length === 1);
    expect(botMessages(ACCOUNT, sid)).toEqual([APOLOGY]);
    expect(s.logs.some((l) => l.includes('"code":"LEX_UNAVAILABLE"') && l.includes(sid))).toBe(true);
    await s.fake.say(ACCOUNT, sid, 'customer', 'I want roses');
    await until(() => botMessages(ACCOUNT, sid).length === 2);
    expect(botMessages(ACCOUNT, sid)[1]).toBe('What day do you want the roses to be picked up?');
  });
});

describe('closing fails', () => {
  it('logs TWILIO_CLOSE_FAILED, counts it, and the bot keeps answering the still-open conversation', async () => {
    const sid = ch(0x105);
    s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
    s.fake.fail({ failure: { type: 'status', status: 500 }, op: 'conversation.update', conversationSid: sid, times: 4 });
    for (const text of ['I want roses', 'tomorrow', 'noon', 'yes']) await s.fake.say(ACCOUNT, sid, 'customer', text);
    await until(() => s.logs.some((l) => l.includes('"code":"TWILIO_CLOSE_FAILED"')));
    expect(await metric('lexconn_chat_closes_total', { channel: 'twilio', result: 'failed' })).toBe(1);
    expect(s.fake.store.get(ACCOUNT, sid)!.state).toBe('active');
    await s.fake.say(ACCOUNT, sid, 'customer', 'help');
    await until(() => botMessages(ACCOUNT, sid).length === 5);
    expect(botMessages(ACCOUNT, sid)[4]).toMatch(/^I can help you order flowers/);
  });
});

describe('multi-tenant', () => {
  it('selects the tenant by AccountSid: its token checks the signature, its API key posts, its rules apply', async () => {
    const sid = ch(0x201);
    s.fake.conversation(ACCOUNT_2, { sid, webhookUrl: s.webhookUrl });
    const { deliveries } = await s.fake.say(ACCOUNT_2, sid, 'customer', 'help');
    expect(deliveries[0].status).toBe(200);
    // HelpIntent hands off for this tenant (its own rules), with its own bot identity.
    await until(() => s.fake.store.interactions.some((i) => i.accountSid === ACCOUNT_2));
    expect(
      s.fake
        .messages(ACCOUNT_2, sid)
        .filter((m) => m.source === 'api')
        .map((m) => m.author),
    ).toEqual(['flower-bot']);
    const reqs = s.fake.requests.filter((r) => r.accountSid === ACCOUNT_2);
    expect(reqs.length).toBeGreaterThan(0);
    expect(reqs.every((r) => r.username === API_KEY)).toBe(true);
    // A webhook for tenant 2 signed with tenant 1's token is refused.
    const params = { AccountSid: ACCOUNT_2, EventType: 'onMessageAdded', ConversationSid: sid, MessageSid: 'IM' + '9'.repeat(32), Author: 'x', Body: 'hi' };
    const { twilioSignature } = await import('../../src/transports/twilio/signature.js');
    const r = await fetch(s.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, s.webhookUrl, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(r.status).toBe(403);
  });
});

describe('secrets', () => {
  it('never appear in the logs (trace level, failures included) or in /metrics', async () => {
    await s.settled();
    const logs = s.logs.join('');
    expect(logs.length).toBeGreaterThan(2000);
    const metrics = await (await fetch(`${s.httpUrl}/metrics`)).text();
    for (const secret of [AUTH_TOKEN, TOKEN_2, API_SECRET, DEMO_KEY.secretAccessKey, BEARER, Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')]) {
      expect(logs).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
  });
});
