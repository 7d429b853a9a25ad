import { isIP } from 'node:net';
import { Secret } from '../chat/secret.js';
import { type Env, envFail, envInt, envUrl } from './env.js';

/** Settings of the conversation-events webhook (docs/events.md, docs/configuration.md "Events"). */
export interface EventsConfig {
  /** Every call's events go here (`EVENTS_URL`). */
  url?: string;
  /** HMAC-SHA256 key of the `X-Lexconn-Signature` header (`EVENTS_SECRET`); required once any URL can be used. */
  secret?: Secret;
  /** Origins a call's own `events_url` may point at (`EVENTS_URL_ALLOWLIST`); empty: per-call URLs are refused. */
  allowlist: AllowedOrigin[];
  /** Events waiting per call (`EVENTS_QUEUE_MAX`); more are dropped and counted. */
  queueMax: number;
  /** Events waiting across all calls (`EVENTS_MAX_PENDING`); more are dropped and counted. */
  maxPending: number;
  /** Per-attempt timeout, ms (`EVENTS_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Attempts per event, first included (`EVENTS_MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** Backoff: base doubling per attempt, capped (`EVENTS_RETRY_BASE_MS`, `EVENTS_RETRY_MAX_MS`). */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** One allow-list entry: a scheme and a host (`*.` allows any subdomain), with an optional port. */
export interface AllowedOrigin {
  protocol: string;
  host: string;
  wildcard: boolean;
  port: string;
}

const ENTRY_RE = /^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?\/?$/i;

/**
 * The entries, each normalised as WHATWG URL parsing normalises the URL a call names (lower
 * case, the scheme's default port dropped, IPv6 compressed), so an entry means its origin
 * however it is written.
 */
function parseAllowlist(raw: string | undefined): AllowedOrigin[] {
  if (!raw?.trim()) return [];
  return raw.split(',').map((item) => {
    const bad = (): never => envFail('EVENTS_URL_ALLOWLIST', `entries must be origins such as https://hooks.example.com or https://*.example.com (got "${item.trim()}")`);
    const m = ENTRY_RE.exec(item.trim());
    if (!m) return bad();
    let u: URL;
    try {
      u = new URL(`${m[1]}://${m[3]}${m[4] === undefined ? '' : `:${m[4]}`}/`);
    } catch {
      return bad();
    }
    return { protocol: u.protocol, wildcard: m[2] !== undefined, host: u.hostname, port: u.port };
  });
}

/**
 * How the allow-list admits `url` (a call's `events_url`): `exact` when an entry names its
 * origin, `wildcard` when only a `*.` entry covers its host, undefined when it is refused. Only
 * http(s) URLs without user info whose scheme, host and port match an entry are admitted: the
 * only way a caller can make the connector send requests, so an NCCO cannot aim it at internal
 * addresses (no open SSRF). A wildcard never admits an IP literal, and what a wildcard admits
 * is delivered to public addresses only (the name is resolved at connect time:
 * `events/public-address.ts`), since whoever controls DNS under that domain chooses the address.
 */
export function eventsUrlAdmission(url: string, allowlist: AllowedOrigin[]): 'exact' | 'wildcard' | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.username || u.password) return undefined;
  const host = u.hostname.toLowerCase();
  const origin = allowlist.filter((a) => a.protocol === u.protocol && a.port === u.port);
  if (origin.some((a) => !a.wildcard && host === a.host)) return 'exact';
  const literal = isIP(host.replace(/^\[|\]$/g, '')) !== 0;
  return !literal && origin.some((a) => a.wildcard && host.endsWith(`.${a.host}`)) ? 'wildcard' : undefined;
}

/** True when the allow-list admits `url` (`eventsUrlAdmission`). */
export function eventsUrlAllowed(url: string, allowlist: AllowedOrigin[]): boolean {
  return eventsUrlAdmission(url, allowlist) !== undefined;
}

/** Reads `EVENTS_*`; throws CONFIG_INVALID naming the key. */
export function loadEventsConfig(env: Env): EventsConfig {
  const url = envUrl(env, 'EVENTS_URL');
  const allowlist = parseAllowlist(env.EVENTS_URL_ALLOWLIST);
  const secret = env.EVENTS_SECRET || undefined;
  if ((url || allowlist.length) && !secret) envFail('EVENTS_SECRET', 'is required with EVENTS_URL or EVENTS_URL_ALLOWLIST (events are always signed)');
  if (secret && secret.length < 16) envFail('EVENTS_SECRET', 'must be at least 16 characters');
  const retryBaseMs = envInt(env, 'EVENTS_RETRY_BASE_MS', 250, 1, 60_000);
  const retryMaxMs = envInt(env, 'EVENTS_RETRY_MAX_MS', 5000, 1, 300_000);
  if (retryMaxMs < retryBaseMs) envFail('EVENTS_RETRY_MAX_MS', 'must be at least EVENTS_RETRY_BASE_MS');
  return {
    url,
    secret: secret ? new Secret(secret) : undefined,
    allowlist,
    queueMax: envInt(env, 'EVENTS_QUEUE_MAX', 200, 1, 100_000),
    maxPending: envInt(env, 'EVENTS_MAX_PENDING', 20_000, 1, 10_000_000),
    timeoutMs: envInt(env, 'EVENTS_TIMEOUT_MS', 5000, 100, 120_000),
    maxAttempts: envInt(env, 'EVENTS_MAX_ATTEMPTS', 4, 1, 10),
    retryBaseMs,
    retryMaxMs,
  };
}
