import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a `/metrics` endpoint serves: the exposition text and its content type. */
export interface MetricsSource {
  readonly contentType: string;
  /** The text of one scrape. */
  scrape(): Promise<string>;
}

/** The connector's Prometheus metrics, on a registry of its own (docs/operations.md). */
export class Metrics implements MetricsSource {
  readonly registry = new Registry();
  readonly activeCalls = new Gauge({ name: 'lexconn_active_calls', help: 'Calls in progress', labelNames: ['platform', 'route'], registers: [this.registry] });
  readonly calls = new Counter({ name: 'lexconn_calls_total', help: 'Calls started', labelNames: ['platform', 'route'], registers: [this.registry] });
  readonly closes = new Counter({ name: 'lexconn_call_closes_total', help: 'Calls ended, by WebSocket close code', labelNames: ['code'], registers: [this.registry] });
  /** Read at scrape time from what `watchPending` gave. */
  private pending: () => number = () => 0;
  readonly pendingConnections: Gauge = new Gauge({
    name: 'lexconn_pending_connections',
    help: 'WebSocket connections still waiting to authenticate (not counted against MAX_CALLS)',
    registers: [this.registry],
    collect: (): void => this.pendingConnections.set(this.pending()),
  });
  readonly limitExceeded = new Counter({
    name: 'lexconn_limit_exceeded_total',
    help: 'Calls closed with 4009 for going past a per-call bound: control_messages, audio, lex_requests, lex_events',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  readonly rejected = new Counter({ name: 'lexconn_upgrades_rejected_total', help: 'WebSocket upgrades refused before the handshake', labelNames: ['status'], registers: [this.registry] });
  readonly turns = new Counter({ name: 'lexconn_turns_total', help: 'Bot turns (replies started)', labelNames: ['route'], registers: [this.registry] });
  readonly turnLatency = new Histogram({
    name: 'lexconn_turn_latency_seconds',
    help: 'End of caller speech (or DTMF entry) to first reply frame sent',
    labelNames: ['route'],
    buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    registers: [this.registry],
  });
  readonly turnOverhead = new Histogram({
    name: 'lexconn_turn_overhead_seconds',
    help: "The connector's own share of a turn on the per-utterance routes: Lex's answer arriving to the first reply frame sent",
    labelNames: ['route'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
    registers: [this.registry],
  });
  readonly lexFirstByte = new Histogram({
    name: 'lexconn_lex_first_byte_seconds',
    help: 'Lex request end (or conversation turn end) to first reply byte',
    labelNames: ['api'],
    buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly lexTotal = new Histogram({
    name: 'lexconn_lex_request_seconds',
    help: 'Whole Lex request, first byte sent to last reply byte',
    labelNames: ['api'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30],
    registers: [this.registry],
  });
  readonly bargeIns = new Counter({ name: 'lexconn_barge_ins_total', help: 'Bot prompts interrupted by the caller', labelNames: ['route'], registers: [this.registry] });
  readonly dtmf = new Counter({ name: 'lexconn_dtmf_digits_total', help: 'DTMF keys received', registers: [this.registry] });
  readonly errors = new Counter({ name: 'lexconn_errors_total', help: 'Errors by stable code', labelNames: ['code'], registers: [this.registry] });
  readonly framesSent = new Counter({ name: 'lexconn_frames_sent_total', help: 'Audio frames sent to callers', registers: [this.registry] });
  readonly framesDropped = new Counter({ name: 'lexconn_frames_dropped_total', help: 'Audio frames dropped (socket not writable)', registers: [this.registry] });
  readonly underruns = new Counter({ name: 'lexconn_pacer_underruns_total', help: 'Replies whose audio arrived slower than real time (far end ran dry)', registers: [this.registry] });
  readonly handoffs = new Counter({
    name: 'lexconn_handoffs_total',
    help: 'Calls handed to a human, by platform, method (close, vonage-transfer, twilio-update) and result (ok, failed: closed 4010 instead)',
    labelNames: ['platform', 'method', 'result'],
    registers: [this.registry],
  });
  readonly noInput = new Counter({
    name: 'lexconn_no_input_total',
    help: 'Silences after a prompt (no_input_ms), by what followed: reprompt, handoff, hangup',
    labelNames: ['action'],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'lexconn_events_total',
    help: 'Conversation events to webhooks, by result: delivered, retried (an attempt failed), failed (attempts exhausted), dropped (queue full or server closing)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly eventsPending = new Gauge({ name: 'lexconn_events_pending', help: 'Conversation events queued or in flight to webhooks', registers: [this.registry] });
  readonly eventDelivery = new Histogram({
    name: 'lexconn_event_delivery_seconds',
    help: 'One webhook attempt for a conversation event, by HTTP status (or a network error code)',
    labelNames: ['status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly streamReopens = new Counter({ name: 'lexconn_lex_stream_reopens_total', help: 'StartConversation streams reopened after a drop', registers: [this.registry] });

  private readonly scrapeText: () => Promise<string>;

  /**
   * `defaults`: add prom-client's process and Node.js metrics. `scrape`: what `/metrics` serves
   * instead of this registry (a cluster worker asks the primary for the sum over every worker).
   */
  constructor(defaults = true, scrape?: () => Promise<string>) {
    // Includes nodejs_eventloop_lag_* (event-loop delay) and process CPU/RSS.
    if (defaults) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.scrapeText = scrape ?? (() => this.registry.metrics());
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text `/metrics` serves: this registry, or the cluster's sum in a worker. */
  scrape(): Promise<string> {
    return this.scrapeText();
  }

  /** Where `lexconn_pending_connections` reads its value. */
  watchPending(count: () => number): void {
    this.pending = count;
  }
}
