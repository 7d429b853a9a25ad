import { availableParallelism } from 'node:os';
import { type Env, envBool, envFail, envInt } from './call/env.js';
import { LEX_IDS, ROUTE_KINDS, type CallRoute, type RouteKind } from './call/routes.js';
import { ConnectorError } from './errors.js';
import { loadChatConfig, type ChatConfig } from './chat/chat-config.js';
import { type EventsConfig, loadEventsConfig } from './call/events-config.js';
import { type HandoffConfig, loadHandoffConfig } from './call/handoff-config.js';

/** Server configuration, from the environment (docs/configuration.md lists every key). */
export interface Config {
  /** Listen port (`PORT`, default 5000 like the original). */
  port: number;
  /** Listen address (`HOST`, default 0.0.0.0). */
  host: string;
  /** Public base URL for `/answer` and `/twiml` (`PUBLIC_URL`); default: from the request's Host headers. */
  publicUrl?: string;
  /** The `eventUrl` of `/answer`'s NCCO (`VONAGE_EVENT_URL`); default: this connector's own `/event`. */
  vonageEventUrl?: string;
  /** Serve the browser client at `/phone` (`PHONE_PAGE`, default true). */
  phonePage: boolean;
  /** All Lex traffic goes here (`LEX_ENDPOINT_URL`): the emulator or a VPC endpoint. Server config only. */
  lexEndpointUrl?: string;
  /** Start the Lex emulator in-process and use it when no `LEX_ENDPOINT_URL` is set (`EMBEDDED_EMULATOR`). */
  embeddedEmulator: boolean;
  /** Port of the embedded emulator (`EMULATOR_PORT`, default 0 = any free port). */
  emulatorPort: number;
  /** Voice of the embedded emulator's prompts (`EMULATOR_VOICE`: `flite` (default), `flite-rms`, `synthetic`). */
  emulatorVoice: EmulatorVoice;
  logLevel: string;
  /** Maximum concurrent calls; more are refused with 503 before the upgrade (`MAX_CALLS`). */
  maxCalls: number;
  /** Maximum WebSocket message size in bytes (`MAX_MESSAGE_BYTES`). */
  maxMessageBytes: number;
  /** Time allowed for the first (configuration) message, ms (`FIRST_MESSAGE_TIMEOUT_MS`). */
  firstMessageTimeoutMs: number;
  /** Longest call, ms (`MAX_CALL_MS`); then close 4005. */
  maxCallMs: number;
  /** Audio queued at the far end ahead of playout, ms (`PACER_LEAD_MS`). */
  pacerLeadMs: number;
  /** Outbound bytes the socket may hold before the call is closed as a slow reader (`MAX_BUFFERED_BYTES`). */
  maxBufferedBytes: number;
  /** Socket idle time while waiting for Lex, ms (`LEX_TIMEOUT_MS`). */
  lexTimeoutMs: number;
  /** SDK attempts for retryable Lex requests (`LEX_MAX_ATTEMPTS`). */
  lexMaxAttempts: number;
  /** Idle time that ends a DTMF entry on the utterance routes, ms (`DTMF_TIMEOUT_MS`). */
  dtmfTimeoutMs: number;
  /** Graceful drain limit on SIGTERM, ms (`DRAIN_TIMEOUT_MS`). */
  drainTimeoutMs: number;
  /** Connector processes behind the one port (`WORKERS`: a number, or `auto` = the cores); 1 = a single process, no cluster. */
  workers: number;
  /** Shared token callers must present (`CONNECTOR_AUTH_TOKEN`); unset: no auth. */
  connectorAuthToken?: string;
  /** Twilio auth token for `X-Twilio-Signature` validation (`TWILIO_AUTH_TOKEN`). */
  twilioAuthToken?: string;
  /** VAD implementation (`VAD_ENGINE`): fvad-wasm (default) or node-vad (optional native addon). */
  vadEngine: 'fvad-wasm' | 'node-vad';
  /** Speex resampler quality 0-10 (`RESAMPLER_QUALITY`). */
  resamplerQuality: number;
  /** Example bot used by `/answer` and `/twiml` (`EXAMPLE_*`). */
  example: ExampleBot;
  /** Chat channel: Twilio Conversations tenants and the generic chat API (`src/chat/chat-config.ts`). */
  chat: ChatConfig;
  /** Bounds that keep one client from hurting the others (docs/operations.md, "Threat model and limits"). */
  limits: Limits;
  /** `/metrics` protection: a bearer token (`METRICS_AUTH_TOKEN`) and/or a port of its own (`METRICS_PORT`). */
  metrics: { authToken?: string; port?: number };
  /** Conversation events webhook (`EVENTS_*`, `src/call/events-config.ts`). */
  events: EventsConfig;
  /** Voice hand-off (`HANDOFF_*`, `VONAGE_*`, `src/call/handoff-config.ts`). */
  handoff: HandoffConfig;
}

/** Per-connection and per-call bounds (docs/operations.md, "Threat model and limits"). */
export interface Limits {
  /** Connections that have not yet authenticated (no valid bearer, signature or first-message token) (`MAX_PENDING_CONNECTIONS`). */
  maxPendingConnections: number;
  /** Text messages (DTMF, marks, other events) and pings per second per call, sustained; bursts of twice that (`MAX_CONTROL_MESSAGES_PER_SECOND`). */
  controlMessagesPerSecond: number;
  /** Lex requests per minute per call on the per-utterance routes, sustained; bursts of 10 (`MAX_LEX_REQUESTS_PER_MINUTE`). */
  lexRequestsPerMinute: number;
  /** Whole-request deadline of plain HTTP requests, headers and body (`HTTP_REQUEST_TIMEOUT_MS`); then 408. */
  httpRequestTimeoutMs: number;
  /** Time a peer gets to answer our close frame before its socket is cut (`CLOSE_TIMEOUT_MS`). */
  closeTimeoutMs: number;
  /** A Twilio upgrade signature is good for one live connection at a time (`TWILIO_SIGNATURE_SINGLE_USE`). */
  twilioSignatureSingleUse: boolean;
}

/** The example bot of `/answer` and `/twiml` (`EXAMPLE_*`). */
export interface ExampleBot {
  botName: string;
  botAlias: string;
  botId: string;
  botAliasId: string;
  localeId: string;
  awsKey?: string;
  awsSecret?: string;
  /** Serve `awsKey`/`awsSecret` from `/answer` and `/twiml` (`EXAMPLE_EXPOSE_CREDENTIALS`, local development only); placeholders otherwise. */
  exposeCredentials: boolean;
  route: RouteKind;
}

/** The example bot's route for one call's Lex session id. */
export function exampleRoute(e: ExampleBot, sessionId: string): CallRoute {
  return e.route === 'v1' ? { api: 'v1', botName: e.botName, botAlias: e.botAlias, userId: sessionId } : { api: e.route, botId: e.botId, botAliasId: e.botAliasId, localeId: e.localeId, sessionId };
}

/**
 * The credentials `/answer` and `/twiml` put in their examples: the configured ones only with
 * `EXAMPLE_EXPOSE_CREDENTIALS=true` (or the embedded emulator's public demo pair), placeholders
 * otherwise, so an unauthenticated GET never serves a secret.
 */
export function exampleCredentials(e: ExampleBot): { awsKey: string; awsSecret: string } {
  if (e.exposeCredentials && e.awsKey && e.awsSecret) return { awsKey: e.awsKey, awsSecret: e.awsSecret };
  return { awsKey: 'YOUR_AWS_ACCESS_KEY_ID', awsSecret: 'YOUR_AWS_SECRET_ACCESS_KEY' };
}

/** The embedded emulator's voices (the emulator's `VOICE_NAMES`; a unit test keeps the two lists equal). */
export const EMULATOR_VOICES = ['flite', 'flite-rms', 'synthetic'] as const;
/** One of `EMULATOR_VOICES`. */
export type EmulatorVoice = (typeof EMULATOR_VOICES)[number];

function isEmulatorVoice(v: string): v is EmulatorVoice {
  return (EMULATOR_VOICES as readonly string[]).includes(v);
}

const int = envInt;
const bool = envBool;

function url(env: Env, key: string): string | undefined {
  const raw = env[key];
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (!['http:', 'https:'].includes(u.protocol)) throw new Error('scheme');
    return raw.replace(/\/$/, '');
  } catch {
    throw new ConnectorError('CONFIG_INVALID', `${key} must be an http(s) URL (got "${raw}")`);
  }
}

/** A Lex identifier, checked with the route table's pattern so `/answer` never builds a path the server refuses. */
function lexId(env: Env, key: string, id: keyof typeof LEX_IDS, def: string): string {
  const v = env[key] || def;
  if (!LEX_IDS[id].test(v)) throw new ConnectorError('CONFIG_INVALID', `${key} is not a valid Lex ${id} (got "${v}")`);
  return v;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses and validates the configuration; throws `ConnectorError` CONFIG_INVALID naming the key. */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LEVELS.includes(logLevel)) throw new ConnectorError('CONFIG_INVALID', `LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  const vadEngine = (env.VAD_ENGINE || 'fvad-wasm') as Config['vadEngine'];
  if (!['fvad-wasm', 'node-vad'].includes(vadEngine)) throw new ConnectorError('CONFIG_INVALID', 'VAD_ENGINE must be fvad-wasm or node-vad');
  const emulatorVoice = env.EMULATOR_VOICE || 'flite';
  if (!isEmulatorVoice(emulatorVoice)) throw new ConnectorError('CONFIG_INVALID', `EMULATOR_VOICE must be one of ${EMULATOR_VOICES.join(', ')}`);
  const route = (env.EXAMPLE_ROUTE || 'v2') as RouteKind;
  if (!ROUTE_KINDS.includes(route)) throw new ConnectorError('CONFIG_INVALID', `EXAMPLE_ROUTE must be one of ${ROUTE_KINDS.join(', ')}`);
  return {
    port: int(env, 'PORT', 5000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    publicUrl: url(env, 'PUBLIC_URL'),
    vonageEventUrl: url(env, 'VONAGE_EVENT_URL'),
    phonePage: bool(env, 'PHONE_PAGE', true),
    lexEndpointUrl: url(env, 'LEX_ENDPOINT_URL'),
    // The emulator is the default back-end for development; production (NODE_ENV=production, as in
    // the Docker image and on Heroku) talks to AWS unless told otherwise.
    embeddedEmulator: bool(env, 'EMBEDDED_EMULATOR', !env.LEX_ENDPOINT_URL && env.NODE_ENV !== 'production'),
    emulatorPort: int(env, 'EMULATOR_PORT', 0, 0, 65535),
    emulatorVoice,
    logLevel,
    maxCalls: int(env, 'MAX_CALLS', 1000, 1, 100_000),
    maxMessageBytes: int(env, 'MAX_MESSAGE_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    firstMessageTimeoutMs: int(env, 'FIRST_MESSAGE_TIMEOUT_MS', 2000, 100, 600_000),
    maxCallMs: int(env, 'MAX_CALL_MS', 2 * 3600_000, 1000, 24 * 3600_000),
    pacerLeadMs: int(env, 'PACER_LEAD_MS', 100, 20, 2000),
    maxBufferedBytes: int(env, 'MAX_BUFFERED_BYTES', 512 * 1024, 16 * 1024, 64 * 1024 * 1024),
    lexTimeoutMs: int(env, 'LEX_TIMEOUT_MS', 10_000, 100, 120_000),
    lexMaxAttempts: int(env, 'LEX_MAX_ATTEMPTS', 3, 1, 10),
    dtmfTimeoutMs: int(env, 'DTMF_TIMEOUT_MS', 2000, 100, 60_000),
    drainTimeoutMs: int(env, 'DRAIN_TIMEOUT_MS', 30_000, 0, 3600_000),
    workers: workers(env),
    connectorAuthToken: env.CONNECTOR_AUTH_TOKEN || undefined,
    twilioAuthToken: env.TWILIO_AUTH_TOKEN || undefined,
    vadEngine,
    resamplerQuality: int(env, 'RESAMPLER_QUALITY', 6, 0, 10),
    example: {
      botName: lexId(env, 'EXAMPLE_BOT_NAME', 'botName', 'OrderFlowers'),
      botAlias: lexId(env, 'EXAMPLE_BOT_ALIAS', 'botAlias', '$LATEST'),
      botId: lexId(env, 'EXAMPLE_BOT_ID', 'botId', 'ORDERFLWRS'),
      botAliasId: lexId(env, 'EXAMPLE_BOT_ALIAS_ID', 'botAliasId', 'TSTALIASID'),
      localeId: lexId(env, 'EXAMPLE_LOCALE_ID', 'localeId', 'en_US'),
      awsKey: env.EXAMPLE_AWS_KEY || undefined,
      awsSecret: env.EXAMPLE_AWS_SECRET || undefined,
      exposeCredentials: bool(env, 'EXAMPLE_EXPOSE_CREDENTIALS', false),
      route,
    },
    chat: loadChatConfig(env),
    limits: loadLimits(env),
    metrics: { authToken: env.METRICS_AUTH_TOKEN || undefined, port: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65535) : undefined },
    events: loadEventsConfig(env),
    handoff: loadHandoffConfig(env),
  };
}

/** Most workers `WORKERS` accepts: far above any core count, low enough to catch a typo. */
export const MAX_WORKERS = 256;

/** `WORKERS`: 1 when unset, `auto` = `os.availableParallelism()`, else an integer from 1 to `MAX_WORKERS`. */
function workers(env: Env): number {
  const raw = env.WORKERS?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 1;
  if (raw === 'auto') return Math.min(availableParallelism(), MAX_WORKERS);
  const n = /^\d+$/.test(raw) ? Number(raw) : 0;
  if (n < 1 || n > MAX_WORKERS) envFail('WORKERS', `must be auto or an integer from 1 to ${MAX_WORKERS} (got "${env.WORKERS}")`);
  return n;
}

function loadLimits(env: Env): Limits {
  return {
    maxPendingConnections: int(env, 'MAX_PENDING_CONNECTIONS', 100, 1, 100_000),
    controlMessagesPerSecond: int(env, 'MAX_CONTROL_MESSAGES_PER_SECOND', 50, 1, 10_000),
    lexRequestsPerMinute: int(env, 'MAX_LEX_REQUESTS_PER_MINUTE', 60, 1, 6000),
    httpRequestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
    closeTimeoutMs: int(env, 'CLOSE_TIMEOUT_MS', 2000, 100, 30_000),
    twilioSignatureSingleUse: bool(env, 'TWILIO_SIGNATURE_SINGLE_USE', true),
  };
}
