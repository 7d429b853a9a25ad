import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { type CallEventSink, type CallEventSinkFactory, type CallEventSource, fanOut, NO_EVENTS } from '../call/call-events.js';
import { ConfigFieldError, parseCallConfig, type CallConfig } from '../call/call-config.js';
import { CallLimits } from '../call/call-limits.js';
import { CloseCodes, closeCodeLabel, closeReason, type CloseSpec, reasonOfCode } from '../call/close-codes.js';
import { eventsUrlAllowed } from '../call/events-config.js';
import { lexSessionId, type CallRoute } from '../call/routes.js';
import { asConnectorError, ConnectorError } from '../errors.js';
import { createBot } from '../bots/bot-factory.js';
import { createSession } from '../session/create-session.js';
import type { Session } from '../session/session-deps.js';
import { parseJsonObject } from '../transports/json-message.js';
import { PLATFORMS } from '../transports/platforms.js';
import type { Configured, PlatformAdapter, WireTransport } from '../transports/transport.js';
import { safeEqual } from './auth.js';
import type { ConnectorContext } from './context.js';

/** How the upgrade admitted a connection, and how it gets a call slot later. */
export interface Admission {
  /** The upgrade carried a valid bearer token or Twilio signature: the first message's `token` is not needed. */
  preAuthorized: boolean;
  /** The connection already holds one of the `MAX_CALLS` slots (it was admitted as authenticated, or no auth is configured). */
  holdsSlot: boolean;
  /** Takes a slot for a connection that authenticated with its first message; false when none is free (close 1013). */
  claimSlot(): boolean;
}

/**
 * One WebSocket from a platform: finds the platform by its opening message (`PLATFORMS`),
 * authenticates, validates the call's settings, then hands the call to its session. Owns the
 * call's timers and rate bounds, the one place where an error becomes a close code, the close
 * code that is recorded, and the one idempotent end.
 */
export class CallConnection {
  readonly callId = randomUUID();
  readonly log: Logger;
  private platform: PlatformAdapter | undefined;
  /** The platform's handshake wants another message. */
  private awaiting: ((next: Record<string, unknown>) => Configured) | undefined;
  private transport: WireTransport | undefined;
  private session: Session | undefined;
  private readonly startedAt: number;
  private readonly limits: CallLimits;
  private firstTimer: unknown;
  private maxTimer: unknown;
  private closeTimer: unknown;
  /** The close this side chose, whatever code the peer answers with (or none, if it never does). */
  private decided: CloseSpec | undefined;
  private sessionEnded = false;
  private finished = false;
  private events: CallEventSink = NO_EVENTS;

  constructor(
    private readonly ws: WebSocket,
    private readonly route: CallRoute,
    private readonly ctx: ConnectorContext,
    private readonly admission: Admission,
    private readonly onEnded: (c: CallConnection) => void,
  ) {
    this.startedAt = ctx.clock.now();
    this.log = ctx.logger.child({ callId: this.callId, route: route.api });
    this.limits = new CallLimits(ctx.clock, ctx.config.limits);
    this.firstTimer = ctx.clock.setTimer(() => this.close(CloseCodes.CONFIG_TIMEOUT), ctx.config.firstMessageTimeoutMs);
    ws.on('message', this.onSocketMessage);
    // Pings are control messages too: a burst of them is a flood like any other, closed with
    // 4009 and a close frame (the server does not auto-pong, so ws never cuts the socket itself).
    ws.on('ping', (data: Buffer) =>
      this.guard(() => {
        this.limits.control();
        ws.pong(data);
      }),
    );
    ws.on('close', (code: number) => this.finish(code));
    ws.on('error', (err) => this.log.debug({ err: { message: err.message } }, 'socket error'));
  }

  /** True while the call has a running session (counted in `lexconn_active_calls`). */
  get active(): boolean {
    return this.session !== undefined && !this.sessionEnded;
  }

  /** True while the connection waits to authenticate without a call slot. */
  get pending(): boolean {
    return !this.admission.holdsSlot && !this.finished;
  }

  /** Closes the call with a documented code (session, limits and drain all end here); its session ends at once. */
  close(spec: CloseSpec, detail?: string): void {
    this.decide(spec);
    if (this.transport) this.transport.close(spec, detail);
    else if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(spec.code, closeReason(spec, detail));
    this.endSession();
  }

  /** Cuts the socket without a close handshake (a peer that never answers our close frame). */
  terminate(): void {
    this.ws.terminate();
  }

  /** Every WebSocket message (`guard` inlined: one function for the call, not a closure per frame). */
  private readonly onSocketMessage = (data: Buffer, isBinary: boolean): void => {
    if (this.finished || this.decided) return;
    try {
      this.onMessage(data, isBinary);
    } catch (err) {
      this.fail(err);
    }
  };

  /** Runs a socket event handler; any error ends this call only. */
  private guard(fn: () => void): void {
    if (this.finished || this.decided) return;
    try {
      fn();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Ends the call for an error: its code picks the close (`ERRORS`); anything else is a bug (1011). */
  private fail(err: unknown): void {
    const e = asConnectorError(err);
    this.ctx.metrics.errors.inc({ code: e.code });
    if (e.code === 'RATE_LIMITED') this.ctx.metrics.limitExceeded.inc({ limit: (e.detail ?? 'unknown').replace(/ /g, '_') });
    if (e.code === 'INTERNAL') this.log.error({ err }, 'call failed');
    else this.log.info({ code: e.code, detail: e.detail }, e.message);
    this.close(e.close, e.detail);
  }

  /** Records the close this side chose (the first one wins) and gives the peer `CLOSE_TIMEOUT_MS` to answer it. */
  private decide(spec: CloseSpec): void {
    if (this.decided || this.finished) return;
    this.decided = spec;
    this.closeTimer = this.ctx.clock.setTimer(() => this.terminate(), this.ctx.config.limits.closeTimeoutMs);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.transport) return this.transport.onMessage(data, isBinary);
    if (isBinary) throw new ConnectorError('AUDIO_BEFORE_CONFIG');
    this.limits.control();
    const msg = parseJsonObject(data);
    let configured: Configured;
    if (this.awaiting) {
      configured = this.awaiting(msg);
    } else {
      this.platform = PLATFORMS.find((p) => p.claims(msg));
      if (!this.platform) throw new ConnectorError('MESSAGE_MALFORMED', undefined, { detail: `expected ${[...new Set(PLATFORMS.map((p) => p.opening))].join(' or ')}` });
      const { emulator } = this.ctx;
      configured = this.platform.configure(msg, this.ws, {
        maxBufferedBytes: this.ctx.config.maxBufferedBytes,
        onClose: (spec) => {
          this.decide(spec);
          this.endSession();
        },
        limits: this.limits,
        scriptRecognition: emulator && ((t: string[]) => emulator.script(lexSessionId(this.route), t)),
      });
    }
    if ('awaiting' in configured) {
      this.awaiting = configured.awaiting;
      return;
    }
    this.awaiting = undefined;
    if (configured.ids) this.log.debug(configured.ids, 'platform ids');
    // Authentication first: an unauthenticated client learns nothing about its settings.
    this.authorize(configured.fields.token);
    const ids = { platform: this.platform?.name, callSid: configured.ids?.callSid, accountSid: configured.ids?.accountSid };
    const call = parseCallConfig(configured.fields, this.route.api, ids);
    // A call's own events webhook only where the server allows it (no open SSRF, docs/events.md).
    if (call.eventsUrl && !eventsUrlAllowed(call.eventsUrl, this.ctx.config.events.allowlist)) throw new ConfigFieldError('events_url', 'is not allowed by EVENTS_URL_ALLOWLIST');
    this.start(configured.transport, call);
  }

  /**
   * With CONNECTOR_AUTH_TOKEN set, a call not vouched for at the upgrade needs the first
   * message's `token` (4003); a connection that authenticates this way then needs a free call
   * slot (1013).
   */
  private authorize(token: unknown): void {
    const required = this.ctx.config.connectorAuthToken;
    if (required && !this.admission.preAuthorized && !(typeof token === 'string' && safeEqual(token, required))) throw new ConnectorError('UNAUTHORIZED');
    if (!this.admission.holdsSlot && !this.admission.claimSlot()) throw new ConnectorError('CAPACITY');
  }

  private start(transport: WireTransport, call: CallConfig): void {
    const { ctx } = this;
    ctx.clock.clearTimer(this.firstTimer);
    this.firstTimer = undefined;
    this.transport = transport;
    const log = this.log.child({ platform: transport.platform });
    const source = { callId: this.callId, route: this.route.api, platform: transport.platform, eventsUrl: call.eventsUrl, live: transport.events };
    this.events = fanOut(ctx.eventSinks.map((make) => this.sinkOf(make, source)).filter((s): s is CallEventSink => s !== undefined));
    const deps = {
      events: this.events,
      clock: ctx.clock,
      pacerTick: ctx.pacerTick,
      log,
      metrics: ctx.metrics,
      vad: ctx.vad,
      resamplers: ctx.resamplers,
      leadMs: ctx.config.pacerLeadMs,
      dtmfTimeoutMs: ctx.config.dtmfTimeoutMs,
      lexTimeoutMs: ctx.config.lexTimeoutMs,
      limits: this.limits,
      route: this.route.api,
      handoff: { rules: ctx.config.handoff.rules, defaultTo: ctx.config.handoff.defaultTo, platform: ctx.handoff },
    };
    const end = (why: CloseSpec | ConnectorError, detail?: string): void => (why instanceof ConnectorError ? this.fail(why) : this.close(why, detail));
    this.session = createSession(createBot(this.route, ctx.lex, call), transport, call, deps, end);
    transport.handlers = this.session;
    this.maxTimer = ctx.clock.setTimer(() => this.close(CloseCodes.MAX_DURATION), ctx.config.maxCallMs);
    ctx.metrics.activeCalls.inc({ platform: transport.platform, route: this.route.api });
    ctx.onActiveCalls?.(1);
    ctx.metrics.calls.inc({ platform: transport.platform, route: this.route.api });
    log.info({ rateHz: transport.rateHz, region: call.awsRegion, bargeIn: call.bargeIn }, 'call started');
    this.events.emit({ type: 'call.started', platform: transport.platform, route: this.route.api, rateHz: transport.rateHz });
  }

  /** One consumer's sink for this call; a factory that throws gives none (logged), never a failed call. */
  private sinkOf(make: CallEventSinkFactory, source: CallEventSource): CallEventSink | undefined {
    try {
      return make(source);
    } catch (err) {
      this.log.warn({ err: { name: (err as Error)?.name } }, 'event sink not created');
      return undefined;
    }
  }

  /** Stops the session once, whoever ended the call. */
  private endSession(): void {
    if (!this.session || !this.transport || this.sessionEnded) return;
    this.sessionEnded = true;
    this.ctx.metrics.activeCalls.dec({ platform: this.transport.platform, route: this.route.api });
    this.ctx.onActiveCalls?.(-1);
    this.session.close();
  }

  private finish(peerCode: number): void {
    if (this.finished) return;
    this.finished = true;
    const { ctx } = this;
    for (const t of [this.firstTimer, this.maxTimer, this.closeTimer]) if (t !== undefined) ctx.clock.clearTimer(t);
    this.endSession();
    // The code this side decided, when it decided one; the peer's otherwise (its own hang-up).
    const code = this.decided?.code ?? peerCode;
    ctx.metrics.closes.inc({ code: closeCodeLabel(code) });
    const durationMs = Math.round(ctx.clock.now() - this.startedAt);
    this.log.info({ platform: this.platform?.name ?? 'unknown', closeCode: code, durationMs, ...this.session?.stats }, 'call ended');
    if (this.session) {
      const { turns = 0, handoffs = 0 } = this.session.stats;
      this.events.emit({ type: 'call.ended', closeCode: code, reason: this.decided?.reason ?? reasonOfCode(code), durationMs, turns, handedOff: handoffs > 0 });
    }
    this.onEnded(this);
  }
}
