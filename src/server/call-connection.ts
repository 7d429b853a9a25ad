import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { ConfigFieldError, parseCallConfig, type CallConfig } from '../call/call-config.js';
import { CloseCodes, closeReason, type CloseSpec, reasonOfCode } from '../call/close-codes.js';
import type { CallRoute } from '../call/routes.js';
import { type CallEventSink, fanOut, NO_EVENTS } from '../call/call-events.js';
import { eventsUrlAllowed } from '../call/events-config.js';
import { asConnectorError, ConnectorError } from '../errors.js';
import { createBot } from '../bots/bot-factory.js';
import { createSession } from '../session/create-session.js';
import type { Session } from '../session/session-deps.js';
import { parseJsonObject } from '../transports/json-message.js';
import { PLATFORMS } from '../transports/platforms.js';
import type { Configured, PlatformAdapter, WireTransport } from '../transports/transport.js';
import { safeEqual } from './auth.js';
import type { ConnectorContext } from './context.js';

/**
 * One WebSocket from a platform: finds the platform by its opening message (`PLATFORMS`),
 * validates the call's settings, then hands the call to its session. Owns the call's timers,
 * the one place where an error becomes a close code, and the one idempotent end.
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
  private firstTimer: unknown;
  private maxTimer: unknown;
  private sessionEnded = false;
  private finished = false;
  private events: CallEventSink = NO_EVENTS;

  constructor(
    private readonly ws: WebSocket,
    private readonly route: CallRoute,
    private readonly ctx: ConnectorContext,
    /** True when the upgrade carried a valid bearer token or Twilio signature. */
    private readonly preAuthorized: boolean,
    private readonly onEnded: (c: CallConnection) => void,
  ) {
    this.startedAt = ctx.clock.now();
    this.log = ctx.logger.child({ callId: this.callId, route: route.api });
    this.firstTimer = ctx.clock.setTimer(() => this.close(CloseCodes.CONFIG_TIMEOUT), ctx.config.firstMessageTimeoutMs);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        this.onMessage(data, isBinary);
      } catch (err) {
        this.fail(err);
      }
    });
    ws.on('close', (code: number) => this.finish(code));
    ws.on('error', (err) => this.log.debug({ err: { message: err.message } }, 'socket error'));
  }

  /** Closes the call with a documented code (session, limits and drain all end here); its session ends at once. */
  close(spec: CloseSpec, detail?: string): void {
    if (this.transport) this.transport.close(spec, detail);
    else if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(spec.code, closeReason(spec, detail));
    this.endSession();
  }

  /** Ends the call for an error: its code picks the close (`ERRORS`); anything else is a bug (1011). */
  private fail(err: unknown): void {
    const e = asConnectorError(err);
    this.ctx.metrics.errors.inc({ code: e.code });
    if (e.code === 'INTERNAL') this.log.error({ err }, 'call failed');
    else this.log.info({ code: e.code, detail: e.detail }, e.message);
    this.close(e.close, e.detail);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.finished) return;
    if (this.transport) return this.transport.onMessage(data, isBinary);
    if (isBinary) throw new ConnectorError('AUDIO_BEFORE_CONFIG');
    const msg = parseJsonObject(data);
    let configured: Configured;
    if (this.awaiting) {
      configured = this.awaiting(msg);
    } else {
      this.platform = PLATFORMS.find((p) => p.claims(msg));
      if (!this.platform) throw new ConnectorError('MESSAGE_MALFORMED', undefined, { detail: `expected ${PLATFORMS.map((p) => p.opening).join(' or ')}` });
      configured = this.platform.configure(msg, this.ws, { maxBufferedBytes: this.ctx.config.maxBufferedBytes, onClose: () => this.endSession() });
    }
    if ('awaiting' in configured) {
      this.awaiting = configured.awaiting;
      return;
    }
    this.awaiting = undefined;
    if (configured.ids) this.log.debug(configured.ids, 'platform ids');
    const ids = { platform: this.platform?.name, callSid: configured.ids?.callSid, accountSid: configured.ids?.accountSid };
    this.start(configured.transport, this.authorize(parseCallConfig(configured.fields, this.route.api, ids)));
  }

  /** With CONNECTOR_AUTH_TOKEN set, a call not vouched for at the upgrade needs the first message's `token` (4003). */
  private authorize(call: CallConfig): CallConfig {
    const required = this.ctx.config.connectorAuthToken;
    if (required && !this.preAuthorized && !(call.token !== undefined && safeEqual(call.token, required))) throw new ConnectorError('UNAUTHORIZED');
    // A call's own events webhook only where the server allows it (no open SSRF, docs/events.md).
    if (call.eventsUrl && !eventsUrlAllowed(call.eventsUrl, this.ctx.config.events.allowlist)) throw new ConfigFieldError('events_url', 'is not allowed by EVENTS_URL_ALLOWLIST');
    return call;
  }

  private start(transport: WireTransport, call: CallConfig): void {
    const { ctx } = this;
    ctx.clock.clearTimer(this.firstTimer);
    this.firstTimer = undefined;
    this.transport = transport;
    const log = this.log.child({ platform: transport.platform });
    const source = { callId: this.callId, route: this.route.api, platform: transport.platform, eventsUrl: call.eventsUrl, live: transport.events };
    this.events = fanOut(ctx.eventSinks.map((make) => make(source)).filter((s): s is CallEventSink => s !== undefined));
    const deps = {
      events: this.events,
      clock: ctx.clock,
      log,
      metrics: ctx.metrics,
      vad: ctx.vad,
      resamplers: ctx.resamplers,
      leadMs: ctx.config.pacerLeadMs,
      dtmfTimeoutMs: ctx.config.dtmfTimeoutMs,
      route: this.route.api,
      handoff: { rules: ctx.config.handoff.rules, defaultTo: ctx.config.handoff.defaultTo, platform: ctx.handoff },
    };
    const end = (why: CloseSpec | ConnectorError, detail?: string): void => (why instanceof ConnectorError ? this.fail(why) : this.close(why, detail));
    this.session = createSession(createBot(this.route, ctx.lex, call), transport, call, deps, end);
    transport.handlers = this.session;
    this.maxTimer = ctx.clock.setTimer(() => this.close(CloseCodes.MAX_DURATION), ctx.config.maxCallMs);
    ctx.metrics.activeCalls.inc({ platform: transport.platform, route: this.route.api });
    ctx.metrics.calls.inc({ platform: transport.platform, route: this.route.api });
    log.info({ rateHz: transport.rateHz, region: call.awsRegion, bargeIn: call.bargeIn }, 'call started');
    this.events.emit({ type: 'call.started', platform: transport.platform, route: this.route.api, rateHz: transport.rateHz });
  }

  /** Stops the session once, whoever ended the call. */
  private endSession(): void {
    if (!this.session || !this.transport || this.sessionEnded) return;
    this.sessionEnded = true;
    this.ctx.metrics.activeCalls.dec({ platform: this.transport.platform, route: this.route.api });
    this.session.close();
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    const { ctx } = this;
    if (this.firstTimer !== undefined) ctx.clock.clearTimer(this.firstTimer);
    if (this.maxTimer !== undefined) ctx.clock.clearTimer(this.maxTimer);
    this.endSession();
    ctx.metrics.closes.inc({ code: String(code) });
    const durationMs = Math.round(ctx.clock.now() - this.startedAt);
    this.log.info({ platform: this.platform?.name ?? 'unknown', closeCode: code, durationMs, ...this.session?.stats }, 'call ended');
    if (this.session) {
      const { turns = 0, handoffs = 0 } = this.session.stats;
      this.events.emit({ type: 'call.ended', closeCode: code, reason: reasonOfCode(code), durationMs, turns, handedOff: handoffs > 0 });
    }
    this.onEnded(this);
  }
}
