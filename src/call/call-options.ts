import type { HandoffDestination } from './handoff.js';
import { parseDestination } from './handoff.js';
import type { RouteKind } from './routes.js';

/**
 * The per-call settings of hand-off, events, no-input and the caller's context (NCCO headers /
 * TwiML Parameters, docs/configuration.md): parsed here, validated like the rest of the
 * call's settings (`ConfigFieldError`, close 4002).
 */
export interface CallOptions {
  /** Where a hand-off sends this caller (`handoff_to`); absent: `HANDOFF_TO`. */
  handoffTo?: HandoffDestination;
  /** This call's own events webhook (`events_url`); the connection checks it against `EVENTS_URL_ALLOWLIST`. */
  eventsUrl?: string;
  noInput: NoInputOptions;
  /** The caller's number or address (`caller_id`): a session attribute and hand-off context. */
  callerId?: string;
  /** The platform's id of the call: Twilio `start.callSid`, Vonage `call_uuid` (the caller's leg, from the answer webhook). */
  platformCallId?: string;
  /** Twilio: the account of the call (`start.accountSid`). */
  accountSid?: string;
}

/** What happens when the caller says nothing after a prompt (docs/handoff.md "No input"). */
export interface NoInputOptions {
  /** Silence after a prompt has played before a re-prompt, ms (`no_input_ms`); 0: off. */
  ms: number;
  /** Re-prompts before `action` (`no_input_retries`). */
  retries: number;
  /** After the last re-prompt (`no_input_action`): hang up (close 4011) or hand off. */
  action: 'hangup' | 'handoff';
  /** Re-prompt by sending this text to Lex (`no_input_text`, per-utterance routes); absent: replay the last prompt. */
  text?: string;
}

/** What the platform's opening message said about the call, besides its settings. */
export interface PlatformIds {
  platform?: string;
  callSid?: string;
  accountSid?: string;
}

type Raw = Record<string, unknown>;
type Fail = (field: string, problem: string) => never;

const UUID_RE = /^(CON-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CALLER_RE = /^[^\s<>"'\\]{1,128}$/;
const ATTR_NAME_RE = /^[A-Za-z0-9_.:-]{1,100}$/;
/** Lex V2's timeouts for StartConversation, as session attributes (the ConfigurationEvent has no timeout field). */
const LEX_TIMEOUTS: [string, string, number][] = [
  ['lex_start_timeout_ms', 'x-amz-lex:audio:start-timeout-ms:*:*', 60_000],
  ['lex_end_timeout_ms', 'x-amz-lex:audio:end-timeout-ms:*:*', 60_000],
  ['lex_max_length_ms', 'x-amz-lex:audio:max-length-ms:*:*', 15_000],
];

function text(raw: Raw, key: string, max: number, fail: Fail): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') fail(key, 'must be a string');
  const s = String(v);
  if (s.length > max) fail(key, `must be at most ${max} characters`);
  return s;
}

function int(raw: Raw, key: string, def: number, min: number, max: number, fail: Fail): number {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return def;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) fail(key, `must be an integer from ${min} to ${max}`);
  return n;
}

function noInput(raw: Raw, route: RouteKind, fail: Fail): NoInputOptions {
  const ms = int(raw, 'no_input_ms', 0, 0, 120_000, fail);
  if (ms > 0 && ms < 1000) fail('no_input_ms', 'must be 0 (off) or from 1000 to 120000');
  const action = text(raw, 'no_input_action', 10, fail) ?? 'hangup';
  if (action !== 'hangup' && action !== 'handoff') fail('no_input_action', 'must be hangup or handoff');
  const t = text(raw, 'no_input_text', 1024, fail);
  // StartConversation in AUDIO mode takes no text input (protocols.md §4.4): replay only.
  if (t !== undefined && route === 'conversation') fail('no_input_text', 'is not available on /conversation (Lex takes no text in audio mode)');
  return { ms, retries: int(raw, 'no_input_retries', 2, 0, 10, fail), action, text: t };
}

/** The per-call options; throws through `fail` naming the first bad field. */
export function parseCallOptions(raw: Raw, route: RouteKind, ids: PlatformIds, fail: Fail): CallOptions {
  const to = text(raw, 'handoff_to', 256, fail);
  const handoffTo = to === undefined ? undefined : parseDestination(to);
  if (to !== undefined && !handoffTo) fail('handoff_to', 'must be a phone number, a sip: URI, queue:<name> or workflow:WW…');
  const eventsUrl = text(raw, 'events_url', 2048, fail);
  if (eventsUrl !== undefined && !/^https?:\/\//i.test(eventsUrl)) fail('events_url', 'must be an http(s) URL');
  const callerId = text(raw, 'caller_id', 128, fail);
  if (callerId !== undefined && !CALLER_RE.test(callerId)) fail('caller_id', 'has an invalid format');
  const callUuid = text(raw, 'call_uuid', 64, fail);
  if (callUuid !== undefined && !UUID_RE.test(callUuid)) fail('call_uuid', 'must be a UUID');
  return { handoffTo, eventsUrl, noInput: noInput(raw, route, fail), callerId, platformCallId: ids.callSid ?? callUuid, accountSid: ids.accountSid };
}

/**
 * The session attributes the connector adds for the bot: `callerId`, `callId` (the platform's
 * call id), `conversationUuid` (Vonage), each `lex_attr_<name>` header / parameter as `<name>`,
 * and on `/conversation` Lex's own input timeouts (`lex_*_timeout_ms`, `lex_max_length_ms`).
 */
export function contextAttributes(raw: Raw, route: RouteKind, options: CallOptions, fail: Fail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('lex_attr_')) continue;
    const name = key.slice('lex_attr_'.length);
    if (!ATTR_NAME_RE.test(name) || name.startsWith('x-amz-lex:')) fail(key, 'has an invalid attribute name');
    if (typeof value === 'object' && value !== null) fail(key, 'must be a string');
    const v = String(value);
    if (v.length > 1024) fail(key, 'must be at most 1024 characters');
    out[name] = v;
  }
  if (options.callerId) out.callerId = options.callerId;
  if (options.platformCallId) out.callId = options.platformCallId;
  const conversationUuid = text(raw, 'conversation_uuid', 64, fail);
  if (conversationUuid !== undefined) {
    if (!UUID_RE.test(conversationUuid)) fail('conversation_uuid', 'must be a Vonage conversation UUID');
    out.conversationUuid = conversationUuid;
  }
  if (route === 'conversation') {
    for (const [key, attr, max] of LEX_TIMEOUTS) {
      const v = int(raw, key, 0, 0, max, fail);
      if (v > 0) out[attr] = String(v);
    }
  }
  return out;
}
