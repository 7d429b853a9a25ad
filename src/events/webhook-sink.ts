import type { Logger } from 'pino';
import type { Clock } from '../audio/clock.js';
import type { CallEvent, CallEventSink, CallEventSinkFactory } from '../call/call-events.js';
import { type EventsConfig, eventsUrlAdmission } from '../call/events-config.js';
import type { LookupFunction } from 'node:net';
import { postOnce } from './post.js';
import { publicOnlyLookup, type Resolver } from './public-address.js';
import type { Metrics } from '../metrics.js';
import { SIGNATURE_HEADER, signEvent, TIMESTAMP_HEADER } from './signature.js';

/** The JSON body of one delivery (docs/events.md "Envelope"): stable field names, one event per request. */
export interface EventEnvelope {
  /** The connector's id of the call (the `callId` of its log lines). */
  callId: string;
  /** 1, 2, 3… per call, in emission order: a gap means an event was dropped. */
  seq: number;
  /** When the event happened, ISO 8601 UTC. */
  timestamp: string;
  type: CallEvent['type'];
  /** The event's fields (everything but `type`). */
  data: Record<string, unknown>;
}

/** What the webhook sinks share. */
export interface WebhookSinkDeps {
  config: EventsConfig;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Wall-clock epoch ms for timestamps (default `Date.now`); delivery timing uses `clock`. */
  wallClock?: () => number;
  /** DNS for the public-address check of wildcard-admitted URLs (default `dns.lookup`; tests give their own). */
  resolve?: Resolver;
}

/** The events webhook of a connector: a sink factory for `ConnectorContext.eventSinks`, and its shutdown. */
export interface WebhookSinks {
  factory: CallEventSinkFactory;
  /** Resolves once every queue is empty (deliveries done or given up). */
  idle(): Promise<void>;
  /** Stops delivering: queued events are dropped and counted, requests in flight are aborted. */
  close(): void;
}

/** Shared state of all the call queues. */
interface Shared extends WebhookSinkDeps {
  pending: number;
  queues: Set<DeliveryQueue>;
  closed: boolean;
  idlers: (() => void)[];
}

/**
 * One call's events to one URL: strictly in order (one request at a time), bounded
 * (`EVENTS_QUEUE_MAX` per call, `EVENTS_MAX_PENDING` in all), each event retried with capped
 * exponential backoff up to `EVENTS_MAX_ATTEMPTS`, then given up. `push` never blocks and never
 * throws: the call's audio and every other call go on whatever the receiver does.
 */
class DeliveryQueue {
  private readonly bodies: string[] = [];
  private running = false;
  private abort: AbortController | undefined;
  private warned = false;

  constructor(
    private readonly s: Shared,
    private readonly url: string,
    private readonly log: Logger,
    /** Resolves names to public addresses only (URLs a wildcard entry admitted). */
    private readonly lookup?: LookupFunction,
  ) {}

  get empty(): boolean {
    return this.bodies.length === 0 && !this.running;
  }

  push(body: string): void {
    const { config, metrics } = this.s;
    if (this.s.closed || this.bodies.length >= config.queueMax || this.s.pending >= config.maxPending) return this.drop(1, 'queue full');
    this.bodies.push(body);
    this.s.pending++;
    metrics.eventsPending.inc();
    if (!this.running) void this.run();
  }

  /** Drops what is queued (server closing) and aborts the request in flight. */
  stop(): void {
    const n = this.bodies.length;
    this.bodies.length = 0;
    this.settle(n);
    if (n) this.drop(n, 'server closing');
    this.abort?.abort();
  }

  private async run(): Promise<void> {
    this.running = true;
    this.s.queues.add(this);
    while (this.bodies.length && !this.s.closed) {
      const ok = await this.deliver(this.bodies[0]);
      if (this.s.closed) break;
      this.bodies.shift();
      this.settle(1);
      this.s.metrics.events.inc({ result: ok ? 'delivered' : 'failed' });
      if (!ok) this.s.metrics.errors.inc({ code: 'EVENTS_DELIVERY_FAILED' });
    }
    this.running = false;
    this.s.queues.delete(this);
    if (this.s.queues.size === 0) for (const done of this.s.idlers.splice(0)) done();
  }

  /** One event, with its retries; true when the receiver answered 2xx. */
  private async deliver(body: string): Promise<boolean> {
    const { config, metrics, clock } = this.s;
    for (let attempt = 1; ; attempt++) {
      const status = await this.attempt(body);
      if (/^2\d\d$/.test(status)) return true;
      // Network errors, timeouts, 5xx, 408 and 429 may pass next time; other answers (4xx, 3xx) will not.
      const retryable = !/^\d+$/.test(status) || Number(status) >= 500 || status === '408' || status === '429';
      if (!retryable || attempt >= config.maxAttempts || this.s.closed) {
        this.warnOnce(status, attempt);
        return false;
      }
      metrics.events.inc({ result: 'retried' });
      const backoff = Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** (attempt - 1));
      await new Promise<void>((resolve) => clock.setTimer(resolve, backoff / 2 + Math.random() * (backoff / 2)));
    }
  }

  /** One POST; the HTTP status, or a network error code. */
  private async attempt(body: string): Promise<string> {
    const { config, clock, metrics } = this.s;
    const ts = Math.floor((this.s.wallClock ?? Date.now)() / 1000);
    const abort = new AbortController();
    this.abort = abort;
    const timer = clock.setTimer(() => abort.abort(), config.timeoutMs);
    const started = clock.now();
    let status: string;
    try {
      const headers = { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signEvent(config.secret!.reveal(), ts, body), 'user-agent': 'lex-connector-events/1' };
      // The status is the answer: the body is never read and redirects are not followed.
      status = String(await postOnce(this.url, headers, body, { signal: abort.signal, lookup: this.lookup }));
    } catch (err) {
      status = abort.signal.aborted ? 'TIMEOUT' : String((err as { code?: string }).code ?? 'ERROR');
    } finally {
      clock.clearTimer(timer);
      this.abort = undefined;
    }
    metrics.eventDelivery.observe({ status: statusLabel(status) }, (clock.now() - started) / 1000);
    return status;
  }

  private settle(n: number): void {
    this.s.pending -= n;
    this.s.metrics.eventsPending.dec(n);
  }

  private drop(n: number, why: string): void {
    this.s.metrics.events.inc({ result: 'dropped' }, n);
    this.s.metrics.errors.inc({ code: 'EVENTS_DELIVERY_FAILED' }, n);
    this.warnOnce(why, 0);
  }

  /** One warning per call and URL: a dead receiver must not flood the log. The URL's host only (a path may hold a token). */
  private warnOnce(status: string, attempts: number): void {
    if (this.warned) return;
    this.warned = true;
    this.log.warn({ code: 'EVENTS_DELIVERY_FAILED', host: new URL(this.url).host, status, attempts }, 'conversation event not delivered');
  }
}

/** Statuses a receiver commonly answers: their own metric label; any other is its class (`4xx`). */
const COMMON_STATUSES = new Set(['200', '201', '202', '204', '301', '302', '307', '308', '400', '401', '403', '404', '405', '408', '409', '410', '413', '422', '429', '500', '502', '503', '504']);

/**
 * The `status` label of `lexconn_event_delivery_seconds`: the receiver chooses its status, so the
 * label comes from a fixed set (a common status, a status class, or a network error code), never
 * one series per status a hostile receiver can invent.
 */
function statusLabel(status: string): string {
  if (!/^\d{3}$/.test(status)) return /^[A-Z][A-Z0-9_]{0,39}$/.test(status) ? status : 'ERROR';
  return COMMON_STATUSES.has(status) ? status : `${status[0]}xx`;
}

/** The body of one event: the envelope, serialised once when the event happens. */
function envelope(callId: string, seq: number, epochMs: number, event: CallEvent): string {
  const { type, ...data } = event;
  const e: EventEnvelope = { callId, seq, timestamp: new Date(epochMs).toISOString(), type, data };
  return JSON.stringify(e);
}

/**
 * The events webhook (`EVENTS_URL`, and each call's allowed `events_url`): a `CallEventSinkFactory`
 * whose sink numbers a call's events and hands each to one ordered delivery queue per URL.
 */
export function createWebhookSinks(deps: WebhookSinkDeps): WebhookSinks {
  const s: Shared = { ...deps, pending: 0, queues: new Set(), closed: false, idlers: [] };
  const wall = deps.wallClock ?? Date.now;
  const factory: CallEventSinkFactory = (source) => {
    const urls = [deps.config.url, source.eventsUrl].filter((u): u is string => u !== undefined && deps.config.secret !== undefined);
    if (urls.length === 0) return undefined;
    const log = deps.logger.child({ callId: source.callId, component: 'events' });
    const publicOnly = publicOnlyLookup(deps.resolve);
    // A URL only a wildcard entry admits goes to public addresses only; EVENTS_URL and exact entries are the operator's own choice.
    const queues = [...new Set(urls)].map((u) => new DeliveryQueue(s, u, log, u !== deps.config.url && eventsUrlAdmission(u, deps.config.allowlist) === 'wildcard' ? publicOnly : undefined));
    let seq = 0;
    const sink: CallEventSink = {
      emit: (event) => {
        const body = envelope(source.callId, ++seq, wall(), event);
        for (const q of queues) q.push(body);
      },
    };
    return sink;
  };
  return {
    factory,
    idle: () => (s.queues.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => s.idlers.push(resolve))),
    close: () => {
      s.closed = true;
      for (const q of [...s.queues]) q.stop();
      for (const done of s.idlers.splice(0)) done();
    },
  };
}
