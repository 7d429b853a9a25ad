import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { loadChatConfig } from '../../src/chat/chat-config.js';

const ACCOUNT = 'AC' + '1'.repeat(32);
const TOKEN = 'the-auth-token-must-not-leak';
const base = {
  TWILIO_ACCOUNT_SID: ACCOUNT,
  TWILIO_AUTH_TOKEN: TOKEN,
  CHAT_BOT_ID: 'ORDERFLWRS',
  CHAT_BOT_ALIAS_ID: 'TSTALIASID',
  CHAT_AWS_KEY: 'AKIAEXAMPLEKEY000001',
  CHAT_AWS_SECRET: 'aws-secret-must-not-leak',
  FLEX_WORKSPACE_SID: 'WS' + '2'.repeat(32),
};

function file(value: unknown): string {
  const p = join(mkdtempSync(join(tmpdir(), 'chat-cfg-')), 'tenants.json');
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

describe('chat configuration', () => {
  it('has working defaults with no chat keys at all (API on, no Twilio tenants)', () => {
    const c = loadConfig({}).chat;
    expect(c).toMatchObject({ apiEnabled: true, serverCredentials: false, tenants: [], twilioMaxAttempts: 4, queuePerConversation: 20 });
    expect(c.rules).toEqual({
      handoffIntents: ['Agent'],
      handoffAttribute: { name: 'handoff' },
      closeIntents: ['OrderFlowers'],
      closeIntentStates: ['ReadyForFulfillment', 'Fulfilled'],
      closeOnDialogClose: 'never',
    });
  });

  it('reads one tenant from the environment with defaults', () => {
    const [t] = loadChatConfig(base).tenants;
    expect(t).toMatchObject({
      name: 'default',
      accountSid: ACCOUNT,
      botIdentity: 'bot',
      bot: { botId: 'ORDERFLWRS', localeId: 'en_US', region: 'us-east-1' },
      flex: { taskChannel: 'chat', channelType: 'chat' },
      detachWebhooks: true,
    });
    expect(t.authToken.reveal()).toBe(TOKEN);
  });

  it.each([
    [{ TWILIO_AUTH_TOKEN: '' }, 'TWILIO_AUTH_TOKEN is required'],
    [{ CHAT_BOT_ID: 'short' }, 'CHAT_BOT_ID has an invalid format'],
    [{ CHAT_BOT_ALIAS_ID: '' }, 'CHAT_BOT_ALIAS_ID is required'],
    [{ FLEX_WORKSPACE_SID: 'WSnope' }, 'FLEX_WORKSPACE_SID has an invalid format'],
    [{ TWILIO_ACCOUNT_SID: 'SK' + '1'.repeat(32) }, 'TWILIO_ACCOUNT_SID has an invalid format'],
    [{ CHAT_AWS_SECRET: '' }, 'CHAT_AWS_KEY and awsSecret must be set together'],
    [{ TWILIO_API_KEY_SID: 'SK' + '3'.repeat(32) }, 'TWILIO_API_KEY_SID and apiKeySecret must be set together'],
    [{ CHAT_CLOSE_ON_DIALOG_CLOSE: 'sometimes' }, 'CHAT.closeOnDialogClose must be never, fulfilled or always'],
    [{ CHAT_HANDOFF_INTENTS: 'Agent,Bad Name' }, 'must be a comma-separated list of names'],
    [{ TWILIO_RETRY_BASE_MS: '500', TWILIO_RETRY_MAX_MS: '100' }, 'TWILIO_RETRY_MAX_MS must be at least TWILIO_RETRY_BASE_MS'],
    [{ TWILIO_API_BASE_URL: 'ftp://x' }, 'TWILIO_API_BASE_URL must be an http(s) origin'],
    [{ CHAT_SERVER_CREDENTIALS: 'true' }, 'CHAT_SERVER_CREDENTIALS needs CONNECTOR_AUTH_TOKEN'],
    [{ CHAT_QUEUE_PER_CONVERSATION: '0' }, 'CHAT_QUEUE_PER_CONVERSATION must be an integer from 1 to 1000'],
  ])('refuses %o at start, naming the key', (extra, message) => {
    expect(() => loadConfig({ ...base, ...extra })).toThrow(message);
  });

  it('reads a tenants file (env: indirection for secrets) next to the environment tenant, and refuses duplicates', () => {
    const second = {
      name: 'shop2',
      accountSid: 'AC' + '4'.repeat(32),
      authToken: 'env:SHOP2_TOKEN',
      bot: { botId: 'OTHERBOT01', botAliasId: 'ALIAS00001', region: 'eu-west-2' },
      flex: { workspaceSid: 'WS' + '5'.repeat(32) },
      rules: { closeIntents: [] },
    };
    const c = loadChatConfig({ ...base, SHOP2_TOKEN: 'shop2-token', CHAT_TENANTS_FILE: file({ tenants: [second] }) });
    expect(c.tenants.map((t) => t.name)).toEqual(['default', 'shop2']);
    expect(c.tenants[1].authToken.reveal()).toBe('shop2-token');
    expect(c.tenants[1].bot.credentials).toBeUndefined(); // default AWS credential chain
    expect(c.tenants[1].rules.closeIntents).toEqual([]);
    expect(c.tenants[1].rules.handoffIntents).toEqual(['Agent']);
    expect(() => loadChatConfig({ ...base, SHOP2_TOKEN: 'x', CHAT_TENANTS_FILE: file({ tenants: [{ ...second, accountSid: ACCOUNT }] }) })).toThrow(`lists account ${ACCOUNT} twice`);
    expect(() => loadChatConfig({ CHAT_TENANTS_FILE: file({ tenants: [{ ...second }] }) })).toThrow('tenants[0].authToken is required');
    expect(() => loadChatConfig({ CHAT_TENANTS_FILE: file('not json') })).toThrow('CHAT_TENANTS_FILE must name a readable JSON file');
    expect(() => loadChatConfig({ CHAT_TENANTS_FILE: file({ tenants: [] }) })).toThrow('at least one tenant');
  });

  it('never prints a secret: JSON, string and inspect of the config show [redacted]', () => {
    const c = loadConfig({ ...base, TWILIO_API_KEY_SID: 'SK' + '3'.repeat(32), TWILIO_API_KEY_SECRET: 'api-key-secret-must-not-leak', CHAT_AWS_SESSION_TOKEN: 'session-token-must-not-leak' }).chat;
    const printed = JSON.stringify(c) + inspect(c, { depth: 10 }) + String(c.tenants[0].authToken);
    for (const secret of [TOKEN, 'aws-secret-must-not-leak', 'api-key-secret-must-not-leak', 'session-token-must-not-leak']) expect(printed).not.toContain(secret);
    expect(printed).toContain('[redacted]');
  });
});
