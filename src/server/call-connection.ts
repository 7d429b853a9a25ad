import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { ConnectorContext } from './context.js';
import type { CallRoute } from '../call/routes.js';
import { createSession, type Session } from './session-factory.js';
import { ConfigFieldError, parseCallConfig, type CallConfig } from '../call/call-config.js';
import { CloseCodes, closeReason, type CloseSpec } from '../call/close-codes.js';
import { VonageTransport } from '../transports/vonage/vonage-transport.js';
import { TwilioTransport } from '../transports/twilio/twilio-transport.js';
import { parseTwilioMessage, TwilioProtocolError } from '../transports/twilio/protocol.js';
import type { CallHandlers, CallTransport } from '../transports/transport.js';

/** A transport as the connection drives it: raw messages in, handlers out. */
type WireTransport = CallTransport & { onMessage(data: Buffer, isBinary: boolean): void; handlers: CallHandlers | undefined };

/** Constant-time comparison of two secrets of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const RATES = [8000, 16000, 24000];

/**
 * One WebSocket from a telephony platform: waits for the configuration message,
 * validates it, then hands the call to its session. Owns the call's timers and the
 * one idempotent close.
 */
export class CallConnection {
  readonly callId = randomUUID();
  readonly log: Logger;
  private transport: WireTransport | undefined;
  /** Twilio sent `connected`; `start` must come next. */
  private awaitingTwilioStart = false;
  private session: Session | undefined;
  private readonly startedAt: number;
  private firstTimer: unknown;
  private maxTimer: unknown;
  private platform = 'unknown';
  private finished = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly route: CallRoute,
    private readonly ctx: ConnectorContext,
    /** True when the upgrade carried a valid `Authorization: Bearer` token. */
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
        this.log.error({ err }, 'call failed');
        ctx.metrics.errors.inc({ code: 'INTERNAL' });
        this.close(CloseCodes.INTERNAL);
      }
    });
    ws.on('close', (code: number) => this.finish(code));
    ws.on('error', (err) => this.log.debug({ err: { message: err.message } }, 'socket error'));
  }

  /** Closes the call with a documented code (session, limits and drain all end here). */
  close(spec: CloseSpec, detail?: string): void {
    if (this.transport) this.transport.close(spec, detail);
    else if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(spec.code, closeReason(spec, detail));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.finished) return;
    if (this.transport) return this.transport.onMessage(data, isBinary);
    if (isBinary) return this.close(CloseCodes.AUDIO_BEFORE_CONFIG);
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return this.close(CloseCodes.BAD_MESSAGE);
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return this.close(CloseCodes.BAD_MESSAGE);
    if (msg.event === 'websocket:connected' && !this.awaitingTwilioStart) return this.configureVonage(msg);
    if (msg.event === 'start') return this.configureTwilio(msg);
    if (msg.event === 'connected' && !this.awaitingTwilioStart) {
      this.platform = 'twilio';
      this.awaitingTwilioStart = true;
      return;
    }
    if (this.awaitingTwilioStart) return this.close(CloseCodes.PROTOCOL_ERROR, `${String(msg.event)} before start`);
    return this.close(CloseCodes.BAD_MESSAGE, 'expected websocket:connected or a Twilio start');
  }

  private configureTwilio(msg: Record<string, unknown>): void {
    this.platform = 'twilio';
    let start;
    try {
      start = parseTwilioMessage(msg);
    } catch (err) {
      if (err instanceof TwilioProtocolError) return this.close(CloseCodes.PROTOCOL_ERROR, err.detail);
      throw err;
    }
    if (start.type !== 'start') return this.close(CloseCodes.PROTOCOL_ERROR, 'expected start');
    if ((start.encoding && start.encoding !== 'audio/x-mulaw') || (start.sampleRate && start.sampleRate !== 8000)) {
      return this.close(CloseCodes.INVALID_CONFIG, 'mediaFormat must be audio/x-mulaw at 8000 Hz');
    }
    const call = this.parseConfig(start.customParameters);
    if (!call) return;
    this.log.debug({ streamSid: start.streamSid, callSid: start.callSid }, 'twilio stream');
    this.start(new TwilioTransport(this.ws, start.streamSid, this.ctx.config.maxBufferedBytes), call);
  }

  private configureVonage(msg: Record<string, unknown>): void {
    this.platform = 'vonage';
    const contentType = typeof msg['content-type'] === 'string' ? msg['content-type'] : '';
    const rate = Number(/rate=(\d+)/i.exec(contentType)?.[1]);
    if (!RATES.includes(rate)) return this.close(CloseCodes.INVALID_CONFIG, 'content-type rate must be 8000, 16000 or 24000');
    const call = this.parseConfig(msg);
    if (!call) return;
    const transport = new VonageTransport(this.ws, rate, this.ctx.config.maxBufferedBytes);
    this.start(transport, call);
  }

  private parseConfig(fields: Record<string, unknown>): CallConfig | undefined {
    let call: CallConfig;
    try {
      call = parseCallConfig(fields, this.route.api);
    } catch (err) {
      if (!(err instanceof ConfigFieldError)) throw err;
      this.log.info({ field: err.field }, 'invalid call configuration');
      this.close(CloseCodes.INVALID_CONFIG, err.message);
      return undefined;
    }
    const required = this.ctx.config.connectorAuthToken;
    if (required && !this.preAuthorized && !(call.token !== undefined && safeEqual(call.token, required))) {
      this.close(CloseCodes.UNAUTHORIZED);
      return undefined;
    }
    return call;
  }

  private start(transport: WireTransport, call: CallConfig): void {
    const { ctx } = this;
    ctx.clock.clearTimer(this.firstTimer);
    this.firstTimer = undefined;
    this.transport = transport;
    const log = this.log.child({ platform: this.platform });
    const deps = {
      clock: ctx.clock,
      log,
      metrics: ctx.metrics,
      vad: ctx.vad,
      resamplers: ctx.resamplers,
      leadMs: ctx.config.pacerLeadMs,
      dtmfTimeoutMs: ctx.config.dtmfTimeoutMs,
      route: this.route.api,
    };
    this.session = createSession(this.route, call, transport, ctx.lex, deps, (spec, detail) => this.close(spec, detail));
    transport.handlers = this.session;
    this.maxTimer = ctx.clock.setTimer(() => this.close(CloseCodes.MAX_DURATION), ctx.config.maxCallMs);
    ctx.metrics.activeCalls.inc({ platform: this.platform, route: this.route.api });
    ctx.metrics.calls.inc({ platform: this.platform, route: this.route.api });
    log.info({ rateHz: transport.rateHz, region: call.awsRegion, bargeIn: call.bargeIn }, 'call started');
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    const { ctx } = this;
    if (this.firstTimer !== undefined) ctx.clock.clearTimer(this.firstTimer);
    if (this.maxTimer !== undefined) ctx.clock.clearTimer(this.maxTimer);
    if (this.session) {
      this.session.onHangup();
      ctx.metrics.activeCalls.dec({ platform: this.platform, route: this.route.api });
    }
    ctx.metrics.closes.inc({ code: String(code) });
    this.log.info({ platform: this.platform, closeCode: code, durationMs: Math.round(ctx.clock.now() - this.startedAt), ...this.session?.stats }, 'call ended');
    this.onEnded(this);
  }
}
