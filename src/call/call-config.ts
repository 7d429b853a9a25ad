import { ConnectorError } from '../errors.js';
import { type CallOptions, contextAttributes, parseCallOptions, type PlatformIds } from './call-options.js';
import type { RouteKind } from './routes.js';

/** Per-call settings from the platform's first message (NCCO headers / TwiML Parameters). */
export interface CallConfig extends CallOptions {
  awsKey: string;
  awsSecret: string;
  awsSessionToken?: string;
  awsRegion: string;
  /** WebRTC VAD mode 0 (most sensitive) to 3 (least). */
  sensitivity: number;
  silenceMs: number;
  clipMinMs: number;
  clipMaxMs: number;
  bargeIn: boolean;
  /** Close the call after the closing prompt when Lex ends the dialog. */
  hangupOnClose: boolean;
  welcomeMessage?: string;
  initialIntent?: string;
  /** `lex_session_attributes` with the connector's context attributes over them (`call-options.ts`). */
  sessionAttributes?: Record<string, string>;
  requestAttributes?: Record<string, string>;
  /** Connector auth token from the first message, if any. */
  token?: string;
}

/** A rejected per-call setting (CALL_CONFIG_INVALID, close 4002): its name and what is wrong, never its value. */
export class ConfigFieldError extends ConnectorError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super('CALL_CONFIG_INVALID', `${field} ${problem}`, { detail: `${field} ${problem}` });
    this.name = 'ConfigFieldError';
  }
}

type Raw = Record<string, unknown>;

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// Lex: session + request attributes together at most 12 KB (protocols.md §3.2).
const ATTRIBUTES_MAX_BYTES = 12 * 1024;

function str(raw: Raw, key: string, required: boolean, max: number, re?: RegExp): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new ConfigFieldError(key, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') throw new ConfigFieldError(key, 'must be a string');
  if (v.length > max) throw new ConfigFieldError(key, `must be at most ${max} characters`);
  if (re && !re.test(v)) throw new ConfigFieldError(key, 'has an invalid format');
  return v;
}

function num(raw: Raw, key: string, def: number, min: number, max: number): number {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return def;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigFieldError(key, `must be an integer from ${min} to ${max}`);
  return n;
}

function flag(raw: Raw, key: string, def: boolean): boolean {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return def;
  if (v === true || v === 'true' || v === 1 || v === '1') return true;
  if (v === false || v === 'false' || v === 0 || v === '0') return false;
  throw new ConfigFieldError(key, 'must be true or false');
}

function attributes(raw: Raw, key: string): Record<string, string> | undefined {
  let v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new ConfigFieldError(key, 'must be a JSON object of strings');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigFieldError(key, 'must be a JSON object of strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Raw)) {
    if (k.startsWith('x-amz-lex:')) throw new ConfigFieldError(key, 'must not use the reserved x-amz-lex: prefix');
    if (typeof val === 'object' && val !== null) throw new ConfigFieldError(key, 'values must be strings');
    out[k] = String(val);
  }
  return out;
}

const fail = (field: string, problem: string): never => {
  throw new ConfigFieldError(field, problem);
};

/** `a` with `b` over it; undefined when both are empty. */
function merged(a: Record<string, string> | undefined, b: Record<string, string>): Record<string, string> | undefined {
  const out = { ...a, ...b };
  return Object.keys(out).length ? out : undefined;
}

/**
 * Validates the per-call settings; throws `ConfigFieldError` naming the first bad field.
 * Unknown keys are the caller's own metadata and are ignored. `ids` are what the platform's
 * opening message said besides the settings (Twilio's CallSid).
 */
export function parseCallConfig(raw: Raw, route: RouteKind, ids: PlatformIds = {}): CallConfig {
  const awsKey = str(raw, 'aws_key', true, 128, /^[A-Za-z0-9]{16,128}$/)!;
  const awsSecret = str(raw, 'aws_secret', true, 256)!;
  const options = parseCallOptions(raw, route, ids, fail);
  const cfg: CallConfig = {
    ...options,
    awsKey,
    awsSecret,
    awsSessionToken: str(raw, 'aws_session_token', false, 8192),
    awsRegion: str(raw, 'aws_region', false, 32, REGION_RE) ?? 'us-east-1',
    sensitivity: num(raw, 'sensitivity', 2, 0, 3),
    silenceMs: num(raw, 'silence_time', 400, 100, 5000),
    clipMinMs: num(raw, 'clip_min', 200, 0, 5000),
    clipMaxMs: num(raw, 'clip_max', 10000, 500, 15000),
    bargeIn: flag(raw, 'barge_in', true),
    hangupOnClose: flag(raw, 'hangup_on_close', route === 'conversation'),
    welcomeMessage: str(raw, 'welcome_message', false, 1000),
    initialIntent: str(raw, 'initial_intent', false, 100, /^[A-Za-z0-9_]+$/),
    sessionAttributes: merged(attributes(raw, 'lex_session_attributes'), contextAttributes(raw, route, options, fail)),
    requestAttributes: attributes(raw, 'lex_request_attributes'),
    token: typeof raw.token === 'string' ? raw.token : undefined,
  };
  if (cfg.clipMinMs >= cfg.clipMaxMs) throw new ConfigFieldError('clip_min', 'must be less than clip_max');
  const attrBytes = Buffer.byteLength(JSON.stringify(cfg.sessionAttributes ?? {})) + Buffer.byteLength(JSON.stringify(cfg.requestAttributes ?? {}));
  if (attrBytes > ATTRIBUTES_MAX_BYTES) throw new ConfigFieldError('lex_session_attributes', `and lex_request_attributes together must be at most ${ATTRIBUTES_MAX_BYTES} bytes`);
  return cfg;
}
