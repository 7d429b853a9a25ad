import type RequestClientType from 'twilio/lib/base/RequestClient.js';
import type { Clock } from '../audio/clock.js';

type RequestClientClass = typeof RequestClientType;
type RequestOptions<T> = RequestClientType.RequestOptions<T>;
type Response<T> = Awaited<ReturnType<RequestClientType['request']>> & { body: T };

/** Retry and redirection settings of the Twilio REST transport. */
export interface TwilioHttpOptions {
  /** `http://127.0.0.1:4010`: requests go to `{base}/{original host}{path}` (the fake); unset: Twilio. */
  baseUrl?: string;
  timeoutMs: number;
  /** Attempts per request, first included. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  clock: Clock;
  /** Called after every attempt: operation, HTTP status (or a network error code), seconds. */
  onAttempt?(op: string, status: string, seconds: number): void;
  /** Called before each retry. */
  onRetry?(info: { op: string; attempt: number; status: string; delayMs: number; twilioCode?: number }): void;
}

/** A stable operation name for metrics and logs from a Twilio REST request. */
export function operationOf(method: string, uri: string): string {
  const path = new URL(uri).pathname;
  const m = method.toLowerCase();
  if (/\/Interactions$/.test(path)) return 'interaction.create';
  if (/\/Calls\/[^/]+\.json$/.test(path)) return m === 'post' ? 'call.update' : 'call.fetch';
  if (/\/Messages$/.test(path)) return m === 'post' ? 'message.create' : 'message.list';
  if (/\/Webhooks\/[^/]+$/.test(path)) return m === 'delete' ? 'webhook.remove' : 'webhook.update';
  if (/\/Webhooks$/.test(path)) return m === 'get' ? 'webhook.list' : 'webhook.create';
  if (/\/Conversations\/[^/]+$/.test(path)) return m === 'post' ? 'conversation.update' : `conversation.${m}`;
  return `other.${m}`;
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date); undefined when absent or bad. */
export function retryAfterMs(value: unknown, nowEpochMs = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowEpochMs);
}

const RETRYABLE_NET = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/**
 * Builds the `httpClient` for the `twilio` helper: the library's own `RequestClient`
 * (axios, keep-alive) with two additions. (1) With `baseUrl`, the absolute
 * `https://<product>.twilio.com/...` URI the library builds is sent to
 * `{baseUrl}/<product>.twilio.com/...` instead: the library has no base-URL option, and a
 * custom `httpClient` is its documented way to do this (protocols-chat-handoff.md §2.6).
 * (2) Retries on 429, 5xx, timeouts and connection errors, at most `maxAttempts` attempts,
 * waiting `Retry-After` when Twilio sends it (capped at `retryMaxMs`), else exponential
 * backoff with jitter. The library's own `autoRetry` covers 429 only and ignores `Retry-After`.
 */
export function createTwilioHttpClient(RequestClient: RequestClientClass, o: TwilioHttpOptions): RequestClientType {
  class RetryingRequestClient extends RequestClient {
    async request<TData>(opts: RequestOptions<TData>): Promise<Response<TData>> {
      const op = operationOf(opts.method, opts.uri);
      const uri = o.baseUrl ? rewrite(o.baseUrl, opts.uri) : opts.uri;
      for (let attempt = 1; ; attempt++) {
        const started = o.clock.now();
        let res: Response<TData> | undefined;
        let err: unknown;
        try {
          res = await super.request<TData>({ ...opts, uri, timeout: o.timeoutMs });
        } catch (e) {
          err = e;
        }
        const netCode = err ? String((err as { code?: unknown }).code ?? 'ERROR') : undefined;
        const status = res ? String(res.statusCode) : netCode!;
        o.onAttempt?.(op, status, (o.clock.now() - started) / 1000);
        const retryable = res ? res.statusCode === 429 || res.statusCode >= 500 : RETRYABLE_NET.has(netCode!);
        if (!retryable || attempt >= o.maxAttempts) {
          if (err) throw err;
          return res!;
        }
        const asked = res ? retryAfterMs(headerOf(res.headers, 'retry-after')) : undefined;
        const backoff = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (attempt - 1));
        const delayMs = Math.min(o.retryMaxMs, asked ?? backoff / 2 + Math.random() * (backoff / 2));
        o.onRetry?.({ op, attempt, status, delayMs: Math.round(delayMs), twilioCode: res ? codeOf(res.body) : undefined });
        await new Promise<void>((resolve) => o.clock.setTimer(resolve, delayMs));
      }
    }
  }
  return new RetryingRequestClient({ timeout: o.timeoutMs, keepAlive: true });
}

function rewrite(base: string, uri: string): string {
  const u = new URL(uri);
  return `${base}/${u.host}${u.pathname}${u.search}`;
}

function headerOf(headers: unknown, name: string): unknown {
  const h = headers as Record<string, unknown> | { get?: (n: string) => unknown } | undefined;
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get: (n: string) => unknown }).get(name);
  return (h as Record<string, unknown>)[name];
}

function codeOf(body: unknown): number | undefined {
  try {
    const b = typeof body === 'string' ? JSON.parse(body) : body;
    return typeof b?.code === 'number' ? b.code : undefined;
  } catch {
    return undefined;
  }
}
