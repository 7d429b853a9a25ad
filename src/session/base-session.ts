import type { VadScorer } from '../audio/vad.js';
import type { DialogOutcome } from '../bots/bot.js';
import type { CallConfig } from '../call/call-config.js';
import { type ConnectorError, type ErrorCode, isPermanent } from '../errors.js';
import type { CallTransport } from '../transports/transport.js';
import { isDtmfKey } from './dtmf-collector.js';
import { endsCall } from './end-call.js';
import { InboundAudio } from './inbound.js';
import { type Playback, sessionPlayback } from './playback.js';
import type { Session, SessionDeps, SessionEnd } from './session-deps.js';
import type { TurnOutcome, TurnRecord } from '../call/call-events.js';
import type { BotTurn } from './turn.js';

/** Counters for a call's summary line. */
export type SessionStats = {
  turns: number;
  bargeIns: number;
  errors: number;
  dtmf: number;
};

/**
 * What both sessions share, so they have one shape: the inbound path (call rate -> the bot's
 * rate, 20 ms frames, VAD), playback, DTMF validation, the closed flag, stats, error
 * reporting, turn metrics and the turn record, and the end-call rule.
 */
export abstract class BaseSession implements Session {
  abstract readonly stats: SessionStats;
  protected closed = false;
  protected readonly playback: Playback;
  protected readonly vad: VadScorer;
  private readonly inbound: InboundAudio;
  private readonly toBot = (frame: Int16Array): void => this.onBotFrame(frame);
  private readonly reported = new Set<ErrorCode>();

  constructor(
    transport: CallTransport,
    protected readonly call: CallConfig,
    protected readonly deps: SessionDeps,
    protected readonly end: SessionEnd,
    /** The rate the bot hears the caller at. */
    protected readonly botRateHz: number,
  ) {
    this.inbound = new InboundAudio(deps.resamplers, transport.rateHz, botRateHz);
    this.vad = deps.vad.create(call.sensitivity, botRateHz);
    this.playback = sessionPlayback(transport, deps);
  }

  onAudio(frame: Int16Array): void {
    if (!this.closed) this.inbound.push(frame, this.toBot);
  }

  onDtmf(digit: string): void {
    if (this.closed || !isDtmfKey(digit)) return;
    this.stats.dtmf++;
    this.deps.metrics.dtmf.inc();
    this.onKey(digit);
  }

  onMark(name: string): void {
    this.playback.onMark(name);
  }

  /** Ends everything the session holds; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.playback.close();
    this.vad.close();
    this.inbound.close();
  }

  /** One 20 ms frame of caller audio at `botRateHz`. */
  protected abstract onBotFrame(frame: Int16Array): void;
  /** One valid DTMF key. */
  protected abstract onKey(digit: string): void;
  /** Frees what the session holds besides the inbound path and playback (requests, streams, timers, the bot). */
  protected abstract release(): void;

  /** The caller interrupted a prompt. */
  protected countBargeIn(): void {
    this.stats.bargeIns++;
    this.deps.metrics.bargeIns.inc({ route: this.deps.route });
  }

  /** Counts and logs a bot error; permanent ones (credentials, bot address) are logged once per call. */
  protected report(err: ConnectorError): void {
    this.stats.errors++;
    this.deps.metrics.errors.inc({ code: err.code });
    if (isPermanent(err) && this.reported.has(err.code)) return;
    this.reported.add(err.code);
    if (err.code === 'INTERNAL') return this.deps.log.error({ err: err.cause }, 'call failed');
    this.deps.log.warn({ code: err.code, retryable: err.retryable, cause: err.cause }, err.message);
  }

  /** The bot answered `turn` (`api` labels the Lex API); its dialog outcome decides whether the call ends after the reply. */
  protected turnAnswered(turn: BotTurn, api: string, dialog: DialogOutcome): void {
    const { clock, metrics, route } = this.deps;
    turn.answeredAt = clock.now();
    turn.dialog = dialog;
    turn.endsCall = endsCall(dialog, this.call.hangupOnClose);
    this.stats.turns++;
    metrics.turns.inc({ route });
    if (turn.inputEndedAt !== undefined) metrics.lexFirstByte.observe({ api }, (turn.answeredAt - turn.inputEndedAt) / 1000);
  }

  /** The first frame of `turn`'s reply went to the caller: turn latency and the connector's own share of it. */
  protected turnAudioStarted(turn: BotTurn): void {
    const { clock, metrics, route } = this.deps;
    const now = clock.now();
    if (turn.answeredAt !== undefined) metrics.turnOverhead.observe({ route }, (now - turn.answeredAt) / 1000);
    if (turn.inputEndedAt === undefined) return;
    turn.latencyMs = now - turn.inputEndedAt;
    metrics.turnLatency.observe({ route }, turn.latencyMs / 1000);
  }

  /** The bot's last reply byte arrived: the whole request (per-utterance) or caller's end to prompt's end (streaming). */
  protected turnAudioEnded(turn: BotTurn, api: string): void {
    const from = turn.requestStartedAt ?? turn.inputEndedAt;
    if (from !== undefined) this.deps.metrics.lexTotal.observe({ api }, (this.deps.clock.now() - from) / 1000);
  }

  /** Records a completed turn once: a debug line and a `turn` event to the call's sink. */
  protected turnEnded(turn: BotTurn, outcome: TurnOutcome): void {
    if (turn.done || turn.answeredAt === undefined) return;
    turn.done = true;
    const d = turn.dialog;
    const record: TurnRecord = {
      input: turn.input,
      transcript: d?.transcript,
      intentName: d?.intentName,
      dialogState: d?.dialogState,
      latencyMs: turn.latencyMs === undefined ? undefined : Math.round(turn.latencyMs),
      outcome,
      endsCall: turn.endsCall,
    };
    this.deps.log.debug({ turn: record }, 'turn');
    this.deps.events.emit({ type: 'turn', turn: record });
  }
}
