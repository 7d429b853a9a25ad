import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeTwilio, type FakeTwilio } from '../../src/fakes/twilio/fake-twilio.js';
import { createTwilioRest, loadTwilio } from '../../src/chat/twilio-rest.js';
import { loadChatConfig } from '../../src/chat/chat-config.js';
import { systemClock } from '../../src/audio/clock.js';

const ACCOUNT = 'AC' + '7'.repeat(32);
const TOKEN = 'fake-test-token';
const KEY = { sid: 'SK' + '8'.repeat(32), secret: 'fake-test-key-secret' };
const CH = 'CH' + '9'.repeat(32);

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: TOKEN, apiKeys: [KEY] }] });
  fake.conversation(ACCOUNT, { sid: CH });
});
afterAll(async () => {
  await fake.close();
});

async function rest(env: Record<string, string>) {
  const [tenant] = loadChatConfig({ TWILIO_ACCOUNT_SID: ACCOUNT, CHAT_BOT_ID: 'ORDERFLWRS', CHAT_BOT_ALIAS_ID: 'TSTALIASID', FLEX_WORKSPACE_SID: 'WS' + '1'.repeat(32), ...env }).tenants;
  return createTwilioRest(await loadTwilio(), tenant, { baseUrl: fake.url, timeoutMs: 2000, maxAttempts: 1, retryBaseMs: 1, retryMaxMs: 1, clock: systemClock });
}

describe('fake Twilio REST server, driven by the real twilio library', () => {
  it('authenticates as Twilio does: account token or API key; anything else is 401 20003', async () => {
    await (await rest({ TWILIO_AUTH_TOKEN: TOKEN })).postMessage(CH, 'bot', 'one');
    await (await rest({ TWILIO_AUTH_TOKEN: TOKEN, TWILIO_API_KEY_SID: KEY.sid, TWILIO_API_KEY_SECRET: KEY.secret })).postMessage(CH, 'bot', 'two');
    await expect((await rest({ TWILIO_AUTH_TOKEN: 'wrong' })).postMessage(CH, 'bot', 'three')).rejects.toMatchObject({ status: 401, code: 20003 });
    expect(fake.messages(ACCOUNT, CH).map((m) => m.body)).toEqual(['one', 'two']);
    expect(fake.requests.map((r) => [r.username, r.accountSid, r.status])).toEqual([
      [ACCOUNT, ACCOUNT, 201],
      [KEY.sid, ACCOUNT, 201],
      [ACCOUNT, undefined, 401],
    ]);
    expect(fake.requests[0].form).toEqual({ Author: 'bot', Body: 'one' });
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);
  });

  it('closes for good (50377 afterwards), 404s unknown conversations, and records interactions', async () => {
    const r = await rest({ TWILIO_AUTH_TOKEN: TOKEN });
    const other = fake.conversation(ACCOUNT).sid;
    const kd = await r.createInteraction(other, { lex: { intent: 'Agent' } });
    expect(kd).toMatch(/^KD[0-9a-f]{32}$/);
    expect(fake.store.interactions.at(-1)!.routing).toMatchObject({ properties: { workspace_sid: 'WS' + '1'.repeat(32), task_channel_unique_name: 'chat', attributes: { lex: { intent: 'Agent' } } } });
    await r.closeConversation(other);
    await expect(r.postMessage(other, 'bot', 'late')).rejects.toMatchObject({ code: 50377 });
    await expect(r.closeConversation(other)).rejects.toMatchObject({ code: 50377 });
    await expect(r.postMessage('CH' + 'f'.repeat(32), 'bot', 'x')).rejects.toMatchObject({ status: 404, code: 50350 });
  });

  it('has a control API for use outside the process', async () => {
    const post = (path: string, body: unknown) => fetch(`${fake.url}/_fake/${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('failures', { failure: { type: 'status', status: 503 }, op: 'message.create', times: 1 })).status).toBe(200);
    await expect((await rest({ TWILIO_AUTH_TOKEN: TOKEN })).postMessage(CH, 'bot', 'x')).rejects.toMatchObject({ status: 503 });
    const said = await post(`conversations/${CH}/say`, { author: 'customer', body: 'hello' });
    expect(await said.json()).toMatchObject({ message: { author: 'customer', body: 'hello', source: 'sdk' }, deliveries: [] });
    const conv = (await (await fetch(`${fake.url}/_fake/conversations/${CH}`)).json()) as { messages: { body: string }[] };
    expect(conv.messages.at(-1)!.body).toBe('hello');
    const { requests } = (await (await fetch(`${fake.url}/_fake/requests`)).json()) as { requests: unknown[] };
    expect(requests.length).toBe(fake.requests.length);
    expect((await post('failures', { failure: { type: 'nope' } })).status).toBe(400);
  });
});
