import type { VadScorer } from '../audio/vad.js';
import type { DialogOutcome } from '../bots/bot.js';
import type { CallConfig } from '../call/call-config.js';
import type { TurnInput, TurnOutcome, TurnRecord } from '../call/call-events.js';
import { CloseCodes } from '../call/close-codes.js';
import { type ConnectorError, type ErrorCode, isPermanent } from '../errors.js';
import type { CallTransport } from '../transports/transport.js';
import { isDtmfKey } from './dtmf-collector.js';
import { callEndOf } from './end-call.js';
import { handOff, handoffContext, Transcript } from './handoff.js';
import { InboundAudio } from './inbound.js';
import { NoInputWatch, PromptTape } from './no-input.js';
import { type Playback, sessionPlayback } from './playback.js';
import type { Session, SessionDeps, SessionEnd } from './session-deps.js';
import type { BotTurn } from './turn.js';

/** Counters for a call's summary line. */
export type SessionStats = {
  turns: number;
  bargeIns: number;
  errors: number;
  dtmf: number;
  handoffs: number;
  noInputs: number;
};

/** Fresh counters. */
export function newStats(): SessionStats {
  return { turns: 0, bargeIns: 0, errors: 0, dtmf: 0, handoffs: 0, noInputs: 0 };
}

/**
 * What both sessions share, so they have one shape: the inbound path (call rate -> the bot's
 * rate, 20 ms frames, VAD), playback, DTMF validation, the closed flag, stats, error
 * reporting, turn metrics and the turn record, the end-call and hand-off decision, the
 * hand-off itself, and no-input re-prompts.
 */
export abstract class BaseSession implements Session {
  abstract readonly stats: SessionStats;
  protected closed = false;
  /** A hand-off is under way: the caller is no longer heard. */
  protected handingOff = false;
  protected readonly playback: Playback;
  protected readonly vad: VadScorer;
  protected readonly noInput: NoInputWatch;
  /** A no-input replay of the last prompt is playing. */
  protected replaying = false;
  private readonly tape: PromptTape | undefined;
  private readonly inbound: InboundAudio;
  private readonly toBot = (frame: Int16Array): void => this.onBotFrame(frame);
  private readonly reported = new Set<ErrorCode>();
  private readonly transcript = new Transcript();
  private lastDialog: DialogOutcome | undefined;
  /** Every slot value the caller gave in this call, the latest winning: what the agent should know. */
  private readonly learnedSlots: Record<string, string> = {};
  /** The turn whose reply is playing. */
  private playing: BotTurn | undefined;

  constructor(
    private readonly transport: CallTransport,
    protected readonly call: CallConfig,
    protected readonly deps: SessionDeps,
    protected readonly end: SessionEnd,
    /** The rate the bot hears the caller at. */
    protected readonly botRateHz: number,
  ) {
    this.inbound = new InboundAudio(deps.resamplers, transport.rateHz, botRateHz);
    this.vad = deps.vad.create(call.sensitivity, botRateHz);
    this.playback = sessionPlayback(transport, deps);
    this.noInput = new NoInputWatch(deps.clock, call.noInput, (n, exhausted) => this.onSilence(n, exhausted));
    // The last prompt is kept only when a silence may replay it.
    this.tape = this.noInput.enabled && call.noInput.text === undefined ? new PromptTape() : undefined;
  }

  onAudio(frame: Int16Array): void {
    if (!this.closed && !this.handingOff) this.inbound.push(frame, this.toBot);
  }

  onDtmf(digit: string): void {
    if (this.closed || this.handingOff || !isDtmfKey(digit)) return;
    this.stats.dtmf++;
    this.deps.metrics.dtmf.inc();
    this.noInput.heard();
    this.onKey(digit);
  }

  onMark(name: string): void {
    this.playback.onMark(name);
  }

  /** Ends everything the session holds; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.noInput.close();
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

  /** Starts a reply's playback at `rateHz` (and its recording, when a no-input replay may need it). */
  protected beginReply(rateHz: number): void {
    this.playback.begin(rateHz);
    this.tape?.begin(rateHz);
  }

  /** Queues reply audio. */
  protected pushReply(chunk: Uint8Array): void {
    this.playback.push(chunk);
    this.tape?.push(chunk);
  }

  /** Re-prompts by sending `text` to the bot (`no_input_text`); only the per-utterance routes take text. */
  protected abstract sendRepromptText(text: string): void;

  /** The caller interrupted a prompt. */
  protected countBargeIn(): void {
    if (this.playing) this.playing.bargeIn = true;
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

  /**
   * The bot answered `turn` (`api` labels the Lex API) with `botMessage`; its dialog outcome
   * decides, once, whether the call ends (hang-up or hand-off) after the reply has played.
   */
  protected turnAnswered(turn: BotTurn, api: string, dialog: DialogOutcome, botMessage?: string): void {
    const { clock, metrics, route } = this.deps;
    turn.answeredAt = clock.now();
    turn.dialog = dialog;
    turn.botMessage = botMessage;
    turn.end = callEndOf(dialog, this.call.hangupOnClose, this.deps.handoff.rules);
    this.lastDialog = dialog;
    for (const [name, value] of Object.entries(dialog.slots ?? {})) if (value !== null) this.learnedSlots[name] = value;
    if (turn.input !== 'none') this.transcript.add('caller', dialog.transcript);
    this.transcript.add('bot', botMessage);
    this.noInput.stop();
    this.stats.turns++;
    metrics.turns.inc({ route });
    if (turn.inputEndedAt !== undefined) metrics.lexFirstByte.observe({ api }, (turn.answeredAt - turn.inputEndedAt) / 1000);
  }

  /** The first frame of `turn`'s reply went to the caller: turn latency and the connector's own share of it. */
  protected turnAudioStarted(turn: BotTurn): void {
    const { clock, metrics, route } = this.deps;
    const now = clock.now();
    this.playing = turn;
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
    if (this.playing === turn) this.playing = undefined;
    if (turn.done || turn.answeredAt === undefined) return;
    turn.done = true;
    const d = turn.dialog;
    const record: TurnRecord = {
      input: turn.input,
      transcript: d?.transcript,
      botMessage: turn.botMessage,
      intentName: d?.intentName,
      intentState: d?.intentState,
      dialogState: d?.dialogState,
      slots: d?.slots,
      sessionAttributes: d?.sessionAttributes,
      confidence: d?.confidence,
      interpretations: d?.interpretations,
      latencyMs: turn.latencyMs === undefined ? undefined : Math.round(turn.latencyMs),
      outcome,
      bargeIn: turn.bargeIn,
      endsCall: turn.end !== undefined,
      handoff: turn.end?.kind === 'handoff',
    };
    this.deps.log.debug({ turn: record }, 'turn');
    this.deps.events.emit({ type: 'turn', turn: record });
  }

  /** `turn`'s reply has played to its end (none: a turn that failed): end the call as the turn decided, or wait for the caller. */
  protected replyPlayed(turn: BotTurn | undefined): void {
    if (this.closed || this.handingOff) return;
    const end = turn?.end;
    if (end?.kind === 'hangup') return this.end(CloseCodes.NORMAL);
    if (end?.kind === 'handoff') return this.handOff(end.reason);
    this.noInput.arm();
  }

  /** The caller's input started (speech or a key): no silence is counted. */
  protected callerHeard(input: TurnInput): void {
    if (input !== 'none') this.noInput.heard();
  }

  /** Stops a no-input replay (the caller spoke over it, or the bot has a new prompt). */
  protected stopReplay(): void {
    if (!this.replaying) return;
    this.replaying = false;
    this.playback.clear();
  }

  /** Hands the caller to a human (`reason`: the rule that fired); input is ignored from now on. */
  protected handOff(reason: string): void {
    if (this.closed || this.handingOff) return;
    this.handingOff = true;
    this.noInput.close();
    this.stats.handoffs++;
    const { deps } = this;
    const context = handoffContext(reason, this.lastDialog, this.learnedSlots, this.transcript, this.call);
    handOff({ platform: this.transport.platform, call: this.call, handoff: deps.handoff, events: deps.events, metrics: deps.metrics, log: deps.log, end: this.end }, context);
  }

  /** The caller said nothing for `no_input_ms` after a prompt: re-prompt, or give up as configured. */
  private onSilence(attempt: number, exhausted: boolean): void {
    if (this.closed || this.handingOff) return;
    const { events, metrics, log } = this.deps;
    const action = exhausted ? this.call.noInput.action : 'reprompt';
    this.stats.noInputs++;
    metrics.noInput.inc({ action });
    events.emit({ type: 'no_input', attempt, action });
    log.debug({ attempt, action }, 'no input');
    if (action === 'hangup') return this.end(CloseCodes.NO_INPUT);
    if (action === 'handoff') return this.handOff('no-input');
    if (this.call.noInput.text !== undefined) return this.sendRepromptText(this.call.noInput.text);
    this.replay();
  }

  /** Plays the last prompt again; when it has played, the next silence is counted. */
  private replay(): void {
    const recording = this.tape?.recording;
    if (!recording) return this.noInput.arm();
    this.replaying = true;
    this.playback.begin(this.tape!.rateHz);
    for (const chunk of recording) this.playback.push(chunk);
    void this.playback.finish().then((outcome) => {
      if (!this.replaying) return;
      this.replaying = false;
      if (outcome === 'played') this.noInput.arm();
    });
  }
}
