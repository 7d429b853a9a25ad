import { readFileSync } from 'node:fs';
import { Secret } from '../chat/secret.js';
import { type Env, envFail, envInt, envUrl } from './env.js';
import { type HandoffDestination, parseDestination } from './handoff.js';
import { DEFAULT_HANDOFF_RULES, type HandoffRules, parseAttributeRule } from './handoff-rules.js';

/** Voice hand-off settings (docs/handoff.md, docs/configuration.md "Hand-off"). */
export interface HandoffConfig {
  /** The hand-off part of the chat channel's rules (`HANDOFF_INTENTS`, `HANDOFF_ATTRIBUTE`); close rules stay the end-call rule's. */
  rules: HandoffRules;
  /** Where calls without `handoff_to` go (`HANDOFF_TO`). */
  defaultTo?: HandoffDestination;
  /** Vonage Voice API credentials (`VONAGE_APPLICATION_ID`, `VONAGE_PRIVATE_KEY[_PATH]`): with them, calls are transferred. */
  vonage?: { applicationId: string; privateKey: Secret; apiBaseUrl: string; timeoutMs: number; maxAttempts: number };
  /** Twilio account credentials (`HANDOFF_TWILIO_*`): with them, live calls are updated with new TwiML. */
  twilio?: { accountSid: string; username: string; password: Secret };
}

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function names(env: Env, key: string, def: string[]): string[] {
  const raw = env[key];
  if (raw === undefined) return def;
  const out = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (out.some((x) => !/^[A-Za-z0-9_]{1,100}$/.test(x))) envFail(key, 'must be a comma-separated list of intent names');
  return out;
}

function vonage(env: Env): HandoffConfig['vonage'] {
  const applicationId = env.VONAGE_APPLICATION_ID || undefined;
  let pem = env.VONAGE_PRIVATE_KEY || undefined;
  if (!pem && env.VONAGE_PRIVATE_KEY_PATH) {
    try {
      pem = readFileSync(env.VONAGE_PRIVATE_KEY_PATH, 'utf8');
    } catch {
      envFail('VONAGE_PRIVATE_KEY_PATH', 'must name a readable PEM file');
    }
  }
  if (!applicationId && !pem) return undefined;
  if (!applicationId || !UUID_RE.test(applicationId)) envFail('VONAGE_APPLICATION_ID', 'must be the application UUID (required with VONAGE_PRIVATE_KEY)');
  // Environment files often carry a PEM on one line with literal \n.
  const key = (pem ?? '').replace(/\\n/g, '\n');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) envFail('VONAGE_PRIVATE_KEY', 'must be the application private key in PEM form (or set VONAGE_PRIVATE_KEY_PATH)');
  return {
    applicationId,
    privateKey: new Secret(key),
    apiBaseUrl: (envUrl(env, 'VONAGE_API_BASE_URL') ?? 'https://api.nexmo.com').replace(/\/$/, ''),
    timeoutMs: envInt(env, 'VONAGE_TIMEOUT_MS', 10_000, 100, 120_000),
    maxAttempts: envInt(env, 'VONAGE_MAX_ATTEMPTS', 3, 1, 10),
  };
}

function twilio(env: Env): HandoffConfig['twilio'] {
  const accountSid = env.HANDOFF_TWILIO_ACCOUNT_SID || undefined;
  if (!accountSid) return undefined;
  if (!SID('AC').test(accountSid)) envFail('HANDOFF_TWILIO_ACCOUNT_SID', 'must be AC followed by 32 hex digits');
  const keySid = env.HANDOFF_TWILIO_API_KEY_SID || undefined;
  const keySecret = env.HANDOFF_TWILIO_API_KEY_SECRET || undefined;
  if (!!keySid !== !!keySecret) envFail('HANDOFF_TWILIO_API_KEY_SID', 'and HANDOFF_TWILIO_API_KEY_SECRET must be set together');
  if (keySid && !SID('SK').test(keySid)) envFail('HANDOFF_TWILIO_API_KEY_SID', 'must be SK followed by 32 hex digits');
  if (keySid) return { accountSid, username: keySid, password: new Secret(keySecret!) };
  const token = env.HANDOFF_TWILIO_AUTH_TOKEN || env.TWILIO_AUTH_TOKEN;
  if (!token) envFail('HANDOFF_TWILIO_AUTH_TOKEN', 'is required with HANDOFF_TWILIO_ACCOUNT_SID (or set TWILIO_AUTH_TOKEN, or an API key)');
  return { accountSid, username: accountSid, password: new Secret(token) };
}

/** Reads `HANDOFF_*`, `VONAGE_*`; throws CONFIG_INVALID naming the key. */
export function loadHandoffConfig(env: Env): HandoffConfig {
  let handoffAttribute: HandoffRules['handoffAttribute'];
  try {
    handoffAttribute = parseAttributeRule(env.HANDOFF_ATTRIBUTE);
  } catch (e) {
    envFail('HANDOFF_ATTRIBUTE', (e as Error).message);
  }
  const to = env.HANDOFF_TO?.trim() || undefined;
  const defaultTo = to === undefined ? undefined : parseDestination(to);
  if (to !== undefined && !defaultTo) envFail('HANDOFF_TO', 'must be a phone number (+447700900001), a sip: URI, queue:<name> or workflow:WW…');
  return {
    rules: {
      ...DEFAULT_HANDOFF_RULES,
      handoffIntents: names(env, 'HANDOFF_INTENTS', DEFAULT_HANDOFF_RULES.handoffIntents),
      handoffAttribute,
      closeIntents: [],
      closeIntentStates: [],
      closeOnDialogClose: 'never',
    },
    defaultTo,
    vonage: authenticated(env, vonage(env)),
    twilio: authenticated(env, twilio(env)),
  };
}

/**
 * Platform credentials only behind authenticated calls: which call a hand-off moves (`call_uuid`,
 * Twilio's `start.callSid`) and where to (`handoff_to`) are per-call settings, so without
 * authentication anyone who reaches the port could have the operator's application or account
 * transfer any live call it knows the id of, to any number. Twilio calls are authenticated by
 * their signed upgrade (`TWILIO_AUTH_TOKEN`) or the bearer token; Vonage calls by the bearer token.
 */
function authenticated<T extends HandoffConfig['vonage'] | HandoffConfig['twilio']>(env: Env, creds: T): T {
  if (!creds || env.CONNECTOR_AUTH_TOKEN) return creds;
  if ('applicationId' in creds) envFail('VONAGE_APPLICATION_ID', 'needs CONNECTOR_AUTH_TOKEN: without it anyone who reaches the port could have the application transfer calls');
  if (!env.TWILIO_AUTH_TOKEN)
    envFail('HANDOFF_TWILIO_ACCOUNT_SID', 'needs TWILIO_AUTH_TOKEN or CONNECTOR_AUTH_TOKEN: without either anyone who reaches the port could have the account redirect calls');
  return creds;
}
