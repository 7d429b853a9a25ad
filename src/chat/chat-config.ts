import { readFileSync } from 'node:fs';
import { ConnectorError } from '../errors.js';
import { DEFAULT_HANDOFF_RULES, parseAttributeRule, type HandoffRules } from '../call/handoff-rules.js';
import { Secret } from './secret.js';

/** AWS credentials from server configuration; absent: the SDK's default provider chain. */
export interface ServerAwsCredentials {
  accessKeyId: string;
  secretAccessKey: Secret;
  sessionToken?: Secret;
}

/** The Lex V2 bot a Twilio tenant talks to. */
export interface ChatBot {
  botId: string;
  botAliasId: string;
  localeId: string;
  region: string;
  credentials?: ServerAwsCredentials;
}

/** One Twilio account served by the chat channel (selected by the webhook's `AccountSid`). */
export interface ChatTenant {
  /** Short name for logs and metrics (`default` for the environment tenant). */
  name: string;
  accountSid: string;
  /** Validates `X-Twilio-Signature`; also the REST password unless an API key is set. */
  authToken: Secret;
  apiKey?: { sid: string; secret: Secret };
  /** `IS…` when the conversations are not in the default Conversations service. */
  conversationServiceSid?: string;
  /** `Author` of the bot's messages; messages from this identity are never sent to Lex. */
  botIdentity: string;
  bot: ChatBot;
  flex: { workspaceSid: string; workflowSid?: string; taskChannel: string; channelType: string };
  rules: HandoffRules;
  /** Posted after Lex's own messages when handing off / closing (optional). */
  handoffMessage?: string;
  closeMessage?: string;
  /** Posted when Lex fails for a message (optional; otherwise the customer gets no answer for it). */
  errorMessage?: string;
  /** On hand-off, delete the conversation-scoped webhooks that point at `/chat/twilio`. */
  detachWebhooks: boolean;
}

/** Settings of the chat channel (docs/configuration.md, "Chat"). */
export interface ChatConfig {
  /** `POST /chat/bots/…/text` enabled (`CHAT_API`). */
  apiEnabled: boolean;
  /** The generic API may use the server's own AWS credentials (`CHAT_SERVER_CREDENTIALS`). */
  serverCredentials: boolean;
  /** Rules of the generic API (`CHAT_HANDOFF_*`, `CHAT_CLOSE_*`). */
  rules: HandoffRules;
  /** Twilio Conversations tenants; empty: `/chat/twilio` answers 404. */
  tenants: ChatTenant[];
  /** Send Twilio REST traffic here instead of `https://*.twilio.com` (`TWILIO_API_BASE_URL`; the fake). */
  twilioApiBaseUrl?: string;
  twilioTimeoutMs: number;
  twilioMaxAttempts: number;
  twilioRetryBaseMs: number;
  twilioRetryMaxMs: number;
  /** Messages waiting per conversation (`CHAT_QUEUE_PER_CONVERSATION`); more are refused. */
  queuePerConversation: number;
  /** Conversations with work in flight (`CHAT_MAX_CONVERSATIONS`); more are refused. */
  maxConversations: number;
  /** Transcript entries kept per conversation for the hand-off (`CHAT_TRANSCRIPT_MAX`). */
  transcriptMax: number;
}

type Env = Record<string, string | undefined>;
type Raw = Record<string, unknown>;

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
const BOT_ID_RE = /^[0-9a-zA-Z]{10}$/;
const LOCALE_RE = /^[a-z]{2,3}_[A-Z0-9]{2,3}$/;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const IDENTITY_RE = /^[^\s].{0,255}$/;

/** Environment names of the single-tenant keys, so errors name what the operator set. */
const ENV_NAMES: Record<string, string> = {
  'env.accountSid': 'TWILIO_ACCOUNT_SID',
  'env.authToken': 'TWILIO_AUTH_TOKEN',
  'env.apiKeySid': 'TWILIO_API_KEY_SID',
  'env.apiKeySecret': 'TWILIO_API_KEY_SECRET',
  'env.conversationServiceSid': 'TWILIO_CONVERSATIONS_SERVICE_SID',
  'env.botIdentity': 'CHAT_BOT_IDENTITY',
  'env.bot.botId': 'CHAT_BOT_ID',
  'env.bot.botAliasId': 'CHAT_BOT_ALIAS_ID',
  'env.bot.localeId': 'CHAT_LOCALE_ID',
  'env.bot.region': 'CHAT_AWS_REGION',
  'env.bot.awsKey': 'CHAT_AWS_KEY',
  'env.bot.awsSecret': 'CHAT_AWS_SECRET',
  'env.flex.workspaceSid': 'FLEX_WORKSPACE_SID',
  'env.flex.workflowSid': 'FLEX_WORKFLOW_SID',
  'env.flex.taskChannel': 'FLEX_TASK_CHANNEL',
  'env.flex.channelType': 'FLEX_CHANNEL_TYPE',
};

function fail(key: string, detail: string): never {
  throw new ConnectorError('CONFIG_INVALID', `${ENV_NAMES[key] ?? key} ${detail}`);
}

function int(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(key, `must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

function bool(env: Env, key: string, def: boolean): boolean {
  const raw = env[key]?.toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  return fail(key, `must be true or false (got "${env[key]}")`);
}

function list(raw: unknown, key: string, def: string[]): string[] {
  if (raw === undefined || raw === null) return def;
  const items = Array.isArray(raw) ? raw : String(raw).split(',');
  const out = items.map((x) => String(x).trim()).filter(Boolean);
  if (out.some((x) => !/^[A-Za-z0-9_]{1,100}$/.test(x))) fail(key, 'must be a comma-separated list of names');
  return out;
}

/** Reads a string field; `env:NAME` reads the environment variable NAME (for secrets kept out of the file). */
function field(raw: Raw, key: string, where: string, env: Env, opts: { required?: boolean; re?: RegExp } = {}): string | undefined {
  let v = raw[key];
  if (typeof v === 'string' && v.startsWith('env:')) v = env[v.slice(4)];
  if (v === undefined || v === null || v === '') {
    if (opts.required) fail(`${where}.${key}`, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') fail(`${where}.${key}`, 'must be a string');
  if (opts.re && !opts.re.test(v)) fail(`${where}.${key}`, 'has an invalid format');
  return v;
}

/** Hand-off/close rules from a tenant object (file) or the environment, over `base`. */
function rulesOf(raw: Raw, where: string, base: HandoffRules): HandoffRules {
  const mode = raw.closeOnDialogClose ?? base.closeOnDialogClose;
  if (!['never', 'fulfilled', 'always'].includes(String(mode))) fail(`${where}.closeOnDialogClose`, 'must be never, fulfilled or always');
  let attr = base.handoffAttribute;
  if (raw.handoffAttribute !== undefined) {
    try {
      attr = parseAttributeRule(String(raw.handoffAttribute));
    } catch (e) {
      fail(`${where}.handoffAttribute`, (e as Error).message);
    }
  }
  return {
    handoffIntents: list(raw.handoffIntents, `${where}.handoffIntents`, base.handoffIntents),
    handoffAttribute: attr,
    closeIntents: list(raw.closeIntents, `${where}.closeIntents`, base.closeIntents),
    closeIntentStates: list(raw.closeIntentStates, `${where}.closeIntentStates`, base.closeIntentStates),
    closeOnDialogClose: mode as HandoffRules['closeOnDialogClose'],
  };
}

/** One tenant from a flat object (tenants file entry or the environment mapped to the same names). */
function tenantOf(raw: Raw, where: string, env: Env, baseRules: HandoffRules): ChatTenant {
  const bot = (raw.bot ?? {}) as Raw;
  const flex = (raw.flex ?? {}) as Raw;
  const awsKey = field(bot, 'awsKey', `${where}.bot`, env, { re: /^[A-Za-z0-9]{16,128}$/ });
  const awsSecret = field(bot, 'awsSecret', `${where}.bot`, env);
  if (!!awsKey !== !!awsSecret) fail(`${where}.bot.awsKey`, 'and awsSecret must be set together (or neither, for the default AWS credential chain)');
  const sessionToken = field(bot, 'awsSessionToken', `${where}.bot`, env);
  const apiKeySid = field(raw, 'apiKeySid', where, env, { re: SID('SK') });
  const apiKeySecret = field(raw, 'apiKeySecret', where, env);
  if (!!apiKeySid !== !!apiKeySecret) fail(`${where}.apiKeySid`, 'and apiKeySecret must be set together');
  return {
    name: field(raw, 'name', where, env, { re: /^[A-Za-z0-9_.-]{1,64}$/ }) ?? where,
    accountSid: field(raw, 'accountSid', where, env, { required: true, re: SID('AC') })!,
    authToken: new Secret(field(raw, 'authToken', where, env, { required: true })!),
    apiKey: apiKeySid ? { sid: apiKeySid, secret: new Secret(apiKeySecret!) } : undefined,
    conversationServiceSid: field(raw, 'conversationServiceSid', where, env, { re: SID('IS') }),
    botIdentity: field(raw, 'botIdentity', where, env, { re: IDENTITY_RE }) ?? 'bot',
    bot: {
      botId: field(bot, 'botId', `${where}.bot`, env, { required: true, re: BOT_ID_RE })!,
      botAliasId: field(bot, 'botAliasId', `${where}.bot`, env, { required: true, re: BOT_ID_RE })!,
      localeId: field(bot, 'localeId', `${where}.bot`, env, { re: LOCALE_RE }) ?? 'en_US',
      region: field(bot, 'region', `${where}.bot`, env, { re: REGION_RE }) ?? 'us-east-1',
      credentials: awsKey ? { accessKeyId: awsKey, secretAccessKey: new Secret(awsSecret!), sessionToken: sessionToken ? new Secret(sessionToken) : undefined } : undefined,
    },
    flex: {
      workspaceSid: field(flex, 'workspaceSid', `${where}.flex`, env, { required: true, re: SID('WS') })!,
      workflowSid: field(flex, 'workflowSid', `${where}.flex`, env, { re: SID('WW') }),
      taskChannel: field(flex, 'taskChannel', `${where}.flex`, env, { re: /^[A-Za-z0-9_-]{1,64}$/ }) ?? 'chat',
      channelType: field(flex, 'channelType', `${where}.flex`, env, { re: /^[a-z]{2,16}$/ }) ?? 'chat',
    },
    rules: rulesOf((raw.rules ?? {}) as Raw, `${where}.rules`, baseRules),
    handoffMessage: field(raw, 'handoffMessage', where, env),
    closeMessage: field(raw, 'closeMessage', where, env),
    errorMessage: field(raw, 'errorMessage', where, env),
    detachWebhooks: raw.detachWebhooks === undefined ? true : raw.detachWebhooks === true || raw.detachWebhooks === 'true',
  };
}

/** The environment tenant (TWILIO_ACCOUNT_SID …) mapped onto the tenants-file shape. */
function envTenant(env: Env): Raw {
  return {
    name: 'default',
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    apiKeySid: env.TWILIO_API_KEY_SID,
    apiKeySecret: env.TWILIO_API_KEY_SECRET,
    conversationServiceSid: env.TWILIO_CONVERSATIONS_SERVICE_SID,
    botIdentity: env.CHAT_BOT_IDENTITY,
    bot: {
      botId: env.CHAT_BOT_ID,
      botAliasId: env.CHAT_BOT_ALIAS_ID,
      localeId: env.CHAT_LOCALE_ID,
      region: env.CHAT_AWS_REGION,
      awsKey: env.CHAT_AWS_KEY,
      awsSecret: env.CHAT_AWS_SECRET,
      awsSessionToken: env.CHAT_AWS_SESSION_TOKEN,
    },
    flex: { workspaceSid: env.FLEX_WORKSPACE_SID, workflowSid: env.FLEX_WORKFLOW_SID, taskChannel: env.FLEX_TASK_CHANNEL, channelType: env.FLEX_CHANNEL_TYPE },
    handoffMessage: env.CHAT_HANDOFF_MESSAGE,
    closeMessage: env.CHAT_CLOSE_MESSAGE,
    errorMessage: env.CHAT_ERROR_MESSAGE,
    detachWebhooks: env.CHAT_DETACH_WEBHOOKS === undefined ? undefined : String(bool(env, 'CHAT_DETACH_WEBHOOKS', true)),
  };
}

function tenantsFile(path: string, env: Env, rules: HandoffRules): ChatTenant[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    fail('CHAT_TENANTS_FILE', 'must name a readable JSON file');
  }
  const arr = (parsed as { tenants?: unknown })?.tenants;
  if (!Array.isArray(arr) || arr.length === 0) fail('CHAT_TENANTS_FILE', 'must hold {"tenants": [ … ]} with at least one tenant');
  return arr.map((t, i) => {
    if (!t || typeof t !== 'object') fail(`tenants[${i}]`, 'must be an object');
    return tenantOf(t as Raw, `tenants[${i}]`, env, rules);
  });
}

/**
 * Parses and validates the chat settings (called by `loadConfig`); throws `ConnectorError`
 * CONFIG_INVALID naming the key. Secrets end up in `Secret` wrappers, never in messages.
 */
export function loadChatConfig(env: Env): ChatConfig {
  const rules = rulesOf(
    {
      handoffIntents: env.CHAT_HANDOFF_INTENTS,
      handoffAttribute: env.CHAT_HANDOFF_ATTRIBUTE,
      closeIntents: env.CHAT_CLOSE_INTENTS,
      closeIntentStates: env.CHAT_CLOSE_INTENT_STATES,
      closeOnDialogClose: env.CHAT_CLOSE_ON_DIALOG_CLOSE || undefined,
    },
    'CHAT',
    DEFAULT_HANDOFF_RULES,
  );
  const tenants: ChatTenant[] = [];
  if (env.TWILIO_ACCOUNT_SID) tenants.push(tenantOf(envTenant(env), 'env', env, rules));
  if (env.CHAT_TENANTS_FILE) tenants.push(...tenantsFile(env.CHAT_TENANTS_FILE, env, rules));
  const seen = new Set<string>();
  for (const t of tenants) {
    if (seen.has(t.accountSid)) fail('CHAT_TENANTS_FILE', `lists account ${t.accountSid} twice`);
    seen.add(t.accountSid);
  }
  const serverCredentials = bool(env, 'CHAT_SERVER_CREDENTIALS', false);
  if (serverCredentials && !env.CONNECTOR_AUTH_TOKEN) fail('CHAT_SERVER_CREDENTIALS', 'needs CONNECTOR_AUTH_TOKEN (the server credentials must not be open to anyone)');
  const base = env.TWILIO_API_BASE_URL;
  if (base && !/^https?:\/\/[^/]+\/?$/.test(base)) fail('TWILIO_API_BASE_URL', 'must be an http(s) origin such as http://127.0.0.1:4010');
  const retryBase = int(env, 'TWILIO_RETRY_BASE_MS', 250, 1, 60_000);
  const retryMax = int(env, 'TWILIO_RETRY_MAX_MS', 5000, 1, 300_000);
  if (retryMax < retryBase) fail('TWILIO_RETRY_MAX_MS', 'must be at least TWILIO_RETRY_BASE_MS');
  return {
    apiEnabled: bool(env, 'CHAT_API', true),
    serverCredentials,
    rules,
    tenants,
    twilioApiBaseUrl: base ? base.replace(/\/$/, '') : undefined,
    twilioTimeoutMs: int(env, 'TWILIO_TIMEOUT_MS', 10_000, 100, 120_000),
    twilioMaxAttempts: int(env, 'TWILIO_MAX_ATTEMPTS', 4, 1, 10),
    twilioRetryBaseMs: retryBase,
    twilioRetryMaxMs: retryMax,
    queuePerConversation: int(env, 'CHAT_QUEUE_PER_CONVERSATION', 20, 1, 1000),
    maxConversations: int(env, 'CHAT_MAX_CONVERSATIONS', 10_000, 1, 1_000_000),
    transcriptMax: int(env, 'CHAT_TRANSCRIPT_MAX', 50, 0, 500),
  };
}
