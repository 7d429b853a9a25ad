import { asBytes } from '../audio/pcm.js';
import type { ConversationBot, ConversationEvent, ConversationStream, DialogOutcome } from '../bots/bot.js';
import type { CallConfig } from '../call/call-config.js';
import { ConnectorError, isPermanent } from '../errors.js';
import type { CallTransport } from '../transports/transport.js';
import { BaseSession, newStats, type SessionStats } from './base-session.js';
import { type CallEnd, callEndOf } from './end-call.js';
import type { SessionDeps, SessionEnd } from './session-deps.js';
import type { TurnInput } from '../call/call-events.js';
import { BotTurn } from './turn.js';

/** Reopen attempts after the bot ends or drops the stream, before closing with 4008. */
const MAX_STREAM_REOPENS = 3;
/** First reopen backoff in ms; doubles per attempt. */
const REOPEN_BACKOFF_MS = 250;
/** After the caller hangs up, how long the bot gets to end the stream before it is cancelled. */
const DISCONNECT_GRACE_MS = 2000;

/** The caller's side of the turn the next prompt answers. */
interface PendingTurn {
  input: TurnInput;
  /** Clock time the caller's input ended (transcript or DTMF key), for turn latency. */
  inputEndedAt?: number;
  dialog: DialogOutcome;
  /** Lex's text of the prompt (TextResponseEvent). */
  botMessage?: string;
}

/**
 * A call on the streaming route (Lex V2 StartConversation): all caller audio streams to the bot
 * at its rate (8 kHz) and the bot does the end-pointing, barge-in detection and DTMF. Prompts
 * play through the pacer; the platform's playout mark becomes a playback completion; an
 * interruption clears playback at once. Dropped streams reopen with bounded backoff.
 */
export class ConversationSession extends BaseSession {
  private stream: ConversationStream | undefined;
  private readonly silence: Uint8Array;
  private readonly replyRateHz: number;
  /** The prompt playing (or still arriving). */
  private prompt: BotTurn | undefined;
  private promptOpen = false;
  private discardUntilEnd = false;
  /** How the call ends after the next prompt, once Lex's intent result says so. */
  private endAfterPrompt: CallEnd | undefined;
  private pending: PendingTurn = { input: 'none', dialog: { dialogClosed: false } };
  private reopens = 0;
  private reopenTimer: unknown;
  private graceTimer: unknown;
  /** Clock time of the last voiced caller frame (local VAD, for turn latency and the watchdog). */
  private lastVoicedAt: number | undefined;
  /** Since when (clock ms) the bot owes an answer: the caller spoke or keyed, or a welcome is due; undefined once it says anything. */
  private owedSince: number | undefined;
  private watchdog: unknown;
  /** Some stream of this call has said something: a reopened one resumes the dialog instead of starting it. */
  private heard = false;
  /** Why the last stream ended, for the 4008 reason. */
  private lastFailure = 'reopen attempts exhausted';
  readonly stats: SessionStats & { reopens: number } = { ...newStats(), reopens: 0 };

  constructor(
    transport: CallTransport,
    call: CallConfig,
    private readonly bot: ConversationBot,
    deps: SessionDeps,
    end: SessionEnd,
  ) {
    super(transport, call, deps, end, bot.inputRateHz);
    this.silence = new Uint8Array((bot.inputRateHz / 50) * 2);
    // 8 kHz calls get 8 kHz prompts straight from the bot; others take 16 kHz and resample.
    this.replyRateHz = transport.rateHz === 8000 ? 8000 : 16000;
    this.open(false);
  }

  protected onKey(digit: string): void {
    this.stopReplay();
    this.pending.input = 'dtmf';
    this.pending.inputEndedAt = this.deps.clock.now();
    this.deps.events.emit({ type: 'dtmf', digits: digit });
    this.owe();
    if (this.stream && !this.stream.sendDtmf(digit)) this.end(this.deps.limits.exceeded('lex events'));
  }

  protected release(): void {
    const { clock } = this.deps;
    if (this.reopenTimer !== undefined) clock.clearTimer(this.reopenTimer);
    if (this.watchdog !== undefined) clock.clearTimer(this.watchdog);
    this.watchdog = undefined;
    const stream = this.stream;
    if (!stream) return this.bot.close();
    // Tell the bot the caller left; cancel if it does not end the stream in time.
    stream.disconnect();
    this.graceTimer = clock.setTimer(() => {
      this.graceTimer = undefined;
      stream.cancel();
      this.bot.close();
    }, DISCONNECT_GRACE_MS);
  }

  /** StartConversation takes no text in audio mode (protocols.md §4.4); `no_input_text` is refused for this route. */
  protected sendRepromptText(): void {}

  protected onBotFrame(frame: Int16Array): void {
    this.vad.score(frame, this.onScored);
    // Without barge-in the bot must not hear the caller over a prompt: it gets silence instead.
    const bytes = !this.call.bargeIn && this.playback.speaking ? this.silence : asBytes(frame);
    if (this.stream && !this.stream.sendAudio(bytes)) this.deps.metrics.framesDropped.inc();
  }

  /** The VAD's decision on a frame (one function for the call, not a closure per frame). */
  private readonly onScored = (speech: boolean): void => {
    if (!speech) return;
    this.lastVoicedAt = this.deps.clock.now();
    this.owe();
    // The caller is talking: until Lex answers (its transcript), a silence counts from the last voiced frame.
    this.noInput.postpone();
    if (this.call.bargeIn) this.stopReplay();
  };

  private open(resume: boolean): void {
    this.reopenTimer = undefined;
    const setup = { replyRateHz: this.replyRateHz, resume, welcomeMessage: this.call.welcomeMessage, initialIntent: this.call.initialIntent };
    // A bot that speaks first owes its welcome from the moment the stream opens; an answer owed
    // to the caller is owed by the new stream from now.
    if ((!resume && (setup.welcomeMessage || setup.initialIntent)) || this.owedSince !== undefined) this.owe();
    const stream: ConversationStream = this.bot.open(
      setup,
      (ev) => this.onEvent(ev),
      (err) => this.onStreamEnd(stream, err),
    );
    this.stream = stream;
  }

  private onEvent(ev: ConversationEvent): void {
    if (this.closed) return;
    const { log, clock } = this.deps;
    // Anything from the bot (a heartbeat too) shows the stream is alive.
    this.heard = true;
    this.owedSince = undefined;
    switch (ev.type) {
      case 'transcript':
        // Lex transcribes DTMF input too; the keys already marked the turn as DTMF.
        if (this.pending.input !== 'dtmf') this.pending.input = 'speech';
        this.callerHeard(this.pending.input);
        this.pending.inputEndedAt ??= this.lastVoicedAt ?? clock.now();
        this.pending.dialog.transcript = ev.transcript;
        log.debug({ transcript: ev.transcript }, 'lex transcript');
        return;
      case 'intent':
        this.reopens = 0; // the stream works
        log.debug({ inputMode: ev.inputMode, dialogState: ev.dialogState, intent: ev.intentName, intentState: ev.intentState }, 'lex intent');
        if (ev.inputMode === 'DTMF') this.pending.input = 'dtmf';
        this.pending.dialog = {
          ...this.pending.dialog,
          dialogState: ev.dialogState,
          intentName: ev.intentName,
          intentState: ev.intentState,
          slots: ev.slots,
          confidence: ev.confidence,
          interpretations: ev.interpretations,
          dialogClosed: ev.dialogClosed,
          sessionAttributes: ev.sessionAttributes,
        };
        this.endAfterPrompt ??= callEndOf(this.pending.dialog, this.call.hangupOnClose, this.deps.handoff.rules);
        return;
      case 'text':
        log.debug({ messages: ev.messages }, 'lex messages');
        this.pending.botMessage = ev.messages.join(' ');
        return;
      case 'interruption':
        if (this.promptOpen) this.discardUntilEnd = true;
        this.promptOpen = false;
        if (this.playback.speaking) this.countBargeIn();
        this.playback.clear();
        if (this.prompt) this.turnEnded(this.prompt, 'interrupted');
        return;
      case 'heartbeat':
        return;
      case 'audio':
        return this.onPromptAudio(ev.chunk);
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  private onPromptAudio(chunk: Uint8Array | undefined): void {
    if (this.discardUntilEnd) {
      if (!chunk) this.discardUntilEnd = false;
      return;
    }
    if (chunk) {
      if (!this.promptOpen) this.beginPrompt();
      this.pushReply(chunk);
      return;
    }
    const end = this.endAfterPrompt;
    const prompt = this.prompt;
    if (!this.promptOpen || !prompt) {
      if (end) this.replyPlayed(Object.assign(new BotTurn('none', undefined), { end }));
      return;
    }
    this.promptOpen = false;
    this.turnAudioEnded(prompt, this.bot.api);
    void this.playback.finish().then((outcome) => {
      // A prompt cut short by a clear is never reported as played.
      if (outcome !== 'played' || this.closed) return this.turnEnded(prompt, 'interrupted');
      if (this.stream && !this.stream.sendPlaybackCompletion()) return this.end(this.deps.limits.exceeded('lex events'));
      this.turnEnded(prompt, 'played');
      // The end Lex asked for applies once its prompt has played, whichever prompt carried it.
      this.replyPlayed(end ? Object.assign(prompt, { end }) : prompt);
    });
  }

  /** The first audio of a prompt: the turn it answers is answered now. */
  private beginPrompt(): void {
    this.stopReplay();
    this.promptOpen = true;
    const { input, inputEndedAt, dialog, botMessage } = this.pending;
    this.pending = { input: 'none', dialog: { dialogClosed: false } };
    const prompt = new BotTurn(input, inputEndedAt);
    this.prompt = prompt;
    this.turnAnswered(prompt, this.bot.api, dialog, botMessage);
    this.beginReply(this.replyRateHz);
    this.turnAudioStarted(prompt);
  }

  private onStreamEnd(stream: ConversationStream, err?: ConnectorError): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    if (this.closed) {
      if (this.graceTimer !== undefined) this.deps.clock.clearTimer(this.graceTimer);
      this.graceTimer = undefined;
      this.bot.close();
      return;
    }
    this.lastFailure = err?.detail === 'no answer from Lex' ? 'no answer from Lex' : 'reopen attempts exhausted';
    if (err) {
      this.report(err);
      if (isPermanent(err)) return this.end(new ConnectorError('LEX_STREAM_FAILED', undefined, { detail: err.code, cause: err }));
    }
    if (this.reopens >= MAX_STREAM_REOPENS) return this.end(new ConnectorError('LEX_STREAM_FAILED', undefined, { detail: this.lastFailure }));
    // The prompt in flight is lost with the stream; the bot listens again on the new one.
    this.promptOpen = false;
    this.discardUntilEnd = false;
    this.playback.clear();
    if (this.prompt) this.turnEnded(this.prompt, 'failed');
    const delay = REOPEN_BACKOFF_MS * 2 ** this.reopens;
    this.reopens++;
    this.stats.reopens++;
    this.deps.metrics.streamReopens.inc();
    this.deps.log.info({ attempt: this.reopens, delayMs: delay }, 'reopening lex stream');
    // A stream that never said anything is opened afresh (its welcome is still owed).
    this.reopenTimer = this.deps.clock.setTimer(() => this.open(this.heard), delay);
  }

  /** The bot owes an answer from now (caller speech, a key, a welcome): arm the watchdog. */
  private owe(): void {
    this.owedSince = this.deps.clock.now();
    if (this.watchdog === undefined) this.armWatchdog(this.deps.lexTimeoutMs);
  }

  /**
   * The watchdog: a stream that owes an answer and says nothing at all (no event, not even a
   * heartbeat) for LEX_TIMEOUT_MS after the caller's last input is treated as dropped: it is
   * cancelled and reopened, counted like any reopen, and after MAX_STREAM_REOPENS the call ends
   * with 4008 (`no answer from Lex`). A silent caller owes nothing, so an idle stream is left alone.
   */
  private armWatchdog(ms: number): void {
    this.watchdog = this.deps.clock.setTimer(() => {
      this.watchdog = undefined;
      if (this.closed || this.owedSince === undefined || !this.stream) return;
      const waited = this.deps.clock.now() - this.owedSince;
      if (waited < this.deps.lexTimeoutMs) return this.armWatchdog(this.deps.lexTimeoutMs - waited);
      const stream = this.stream;
      this.owedSince = undefined;
      this.deps.log.info({ waitedMs: Math.round(waited) }, 'lex stream silent');
      this.onStreamEnd(stream, new ConnectorError('LEX_TIMEOUT', undefined, { detail: 'no answer from Lex' }));
      stream.cancel();
    }, ms);
  }
}
