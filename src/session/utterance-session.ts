import { asBytes, frameSamples } from '../audio/pcm.js';
import { concatInt16 } from '../audio/resampler.js';
import { Segmenter, type SegmentEvent } from '../audio/segmenter.js';
import { voiceGateFor } from '../audio/vad/voice-gate.js';
import type { BotReply, UtteranceBot, UtteranceUpload } from '../bots/bot.js';
import type { CallConfig } from '../call/call-config.js';
import { asConnectorError, ConnectorError } from '../errors.js';
import type { CallTransport } from '../transports/transport.js';
import { BaseSession, newStats, type SessionStats } from './base-session.js';
import { DtmfCollector } from './dtmf-collector.js';
import type { SessionDeps, SessionEnd } from './session-deps.js';
import type { TurnInput, TurnOutcome } from '../call/call-events.js';
import { BotTurn } from './turn.js';

/**
 * Frames per write into the Lex request body while the caller speaks (100 ms): one socket
 * write per 20 ms frame costs CPU for nothing, since Lex answers only after the end, when
 * the rest is flushed at once.
 */
const UPLOAD_BATCH_FRAMES = 5;

/** The bot request of the current turn. */
interface Request {
  abort: AbortController;
  /** Frames waiting to be written to the upload as one chunk, copied in as they come. */
  batch?: Int16Array;
  /** Samples in `batch`. */
  batched: number;
  /** Clock time the request started. */
  startedAt: number;
  upload?: UtteranceUpload;
  /** Clock time the caller stopped speaking (or finished a DTMF entry). */
  endedAt?: number;
  /** Runs LEX_TIMEOUT_MS after `endedAt` unless Lex has answered. */
  timer?: unknown;
  /** Lex did not answer within LEX_TIMEOUT_MS of the caller's end: the abort is a LEX_TIMEOUT, not a barge-in. */
  timedOut?: boolean;
}

/**
 * A call on a per-utterance route (Lex V1 PostContent or V2 RecognizeUtterance):
 * local VAD finds utterances, each streams into its own Lex request while the caller
 * speaks, and the reply streams back through the pacer. One Lex request at a time.
 */
export class UtteranceSession extends BaseSession {
  private readonly segmenter: Segmenter;
  private readonly dtmf: DtmfCollector;
  private request: Request | undefined;
  readonly stats: SessionStats = newStats();

  constructor(
    transport: CallTransport,
    call: CallConfig,
    private readonly bot: UtteranceBot,
    deps: SessionDeps,
    end: SessionEnd,
  ) {
    // Lex takes 8 kHz or 16 kHz; 24 kHz calls are resampled to 16 kHz.
    super(transport, call, deps, end, transport.rateHz === 8000 ? 8000 : 16000);
    this.segmenter = new Segmenter({ silenceMs: call.silenceMs, minSpeechMs: call.clipMinMs, maxUtteranceMs: call.clipMaxMs, preRollMs: 300, gate: voiceGateFor(call.sensitivity) });
    this.dtmf = new DtmfCollector(deps.clock, deps.dtmfTimeoutMs, (digits) => this.sendDigits(digits));
  }

  protected onKey(digit: string): void {
    if (!this.dtmf.active) this.interrupt();
    this.dtmf.key(digit);
  }

  protected release(): void {
    if (this.request) this.cancel(this.request);
    this.request = undefined;
    this.dtmf.close();
    this.bot.close();
  }

  protected onBotFrame(frame: Int16Array): void {
    // Without barge-in, the caller is not heard while the bot is busy with a turn.
    const botBusy = (this.request !== undefined && this.request.endedAt !== undefined) || this.playback.speaking;
    if (!this.call.bargeIn && botBusy) return this.segmenter.background(frame);
    this.vad.score(frame, this.onScored);
  }

  /** The VAD's decision on a frame (one function for the call, not a closure per frame). */
  private readonly onScored = (speech: boolean, frame: Int16Array): void => {
    if (this.closed) return;
    const ev = this.segmenter.push(frame, speech);
    if (ev) this.onSegment(ev);
  };

  private onSegment(ev: SegmentEvent): void {
    switch (ev.type) {
      case 'start': {
        this.callerHeard('speech');
        this.interrupt();
        if (!this.admitLexRequest()) return;
        const abort = new AbortController();
        const upload = this.bot.startUtterance(this.botRateHz, abort.signal);
        const request: Request = { abort, upload, startedAt: this.deps.clock.now(), batched: 0 };
        this.request = request;
        upload.write(asBytes(concatInt16(ev.frames)));
        void this.runTurn(request, 'speech', upload.reply);
        return;
      }
      case 'audio': {
        const request = this.request;
        if (!request?.upload) return;
        const batch = (request.batch ??= new Int16Array(frameSamples(this.botRateHz) * UPLOAD_BATCH_FRAMES));
        batch.set(ev.frame, request.batched);
        request.batched += ev.frame.length;
        if (request.batched + ev.frame.length > batch.length) this.flushUpload(request);
        return;
      }
      case 'end':
        if (this.request?.upload) {
          this.request.endedAt = this.deps.clock.now();
          this.flushUpload(this.request);
          this.request.upload.end();
          this.startLexTimer(this.request);
          this.deps.log.debug({ speechMs: ev.speechMs, reason: ev.reason }, 'utterance ended');
        }
        return;
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  /** Writes the batched frames as one chunk of the request body (the chunk is the upload's from now on). */
  private flushUpload(request: Request): void {
    if (!request.upload || !request.batch || request.batched === 0) return;
    request.upload.write(asBytes(request.batch.subarray(0, request.batched)));
    request.batch = undefined;
    request.batched = 0;
  }

  /** Caller input while the bot is busy: stop the prompt and cancel the pending request. */
  private interrupt(): void {
    const speaking = this.playback.speaking;
    if (!speaking && !this.request) return;
    if (speaking) this.countBargeIn();
    this.playback.clear();
    if (this.request) this.cancel(this.request);
    this.request = undefined;
  }

  /** Aborts a request (barge-in, hang-up, timeout) and stops its timer. */
  private cancel(request: Request): void {
    if (request.timer !== undefined) this.deps.clock.clearTimer(request.timer);
    request.timer = undefined;
    request.abort.abort();
  }

  /**
   * LEX_TIMEOUT_MS counts from the end of the caller's input, not from the start of the request,
   * which streams for as long as the caller speaks: a long utterance must still get its answer.
   */
  private startLexTimer(request: Request): void {
    request.timer = this.deps.clock.setTimer(() => {
      request.timer = undefined;
      request.timedOut = true;
      request.abort.abort();
    }, this.deps.lexTimeoutMs);
  }

  /** Takes one Lex request from the call's bound (MAX_LEX_REQUESTS_PER_MINUTE); past it the call ends with 4009. */
  private admitLexRequest(): boolean {
    try {
      this.deps.limits.lexRequest();
      return true;
    } catch (err) {
      this.end(asConnectorError(err));
      return false;
    }
  }

  private sendDigits(digits: string): void {
    if (this.closed || this.handingOff) return;
    this.deps.events.emit({ type: 'dtmf', digits });
    this.deps.log.debug({ digits }, 'dtmf entry');
    this.sendTextTurn(digits, 'dtmf');
  }

  protected sendRepromptText(text: string): void {
    this.sendTextTurn(text, 'none');
  }

  /** A turn from text: DTMF digits, or a no-input re-prompt (`no_input_text`, input `none`). */
  private sendTextTurn(text: string, input: TurnInput): void {
    this.interrupt();
    if (!this.admitLexRequest()) return;
    const abort = new AbortController();
    const now = this.deps.clock.now();
    const request: Request = { abort, endedAt: input === 'none' ? undefined : now, startedAt: now, batched: 0 };
    this.request = request;
    this.startLexTimer(request);
    void this.runTurn(request, input, this.bot.sendText(text, abort.signal));
  }

  private async runTurn(request: Request, input: TurnInput, replyPromise: Promise<BotReply>): Promise<void> {
    // The caller's end is known only once the upload ends, after this turn started.
    let turn: BotTurn | undefined;
    let outcome: TurnOutcome = 'interrupted';
    try {
      const reply = await replyPromise;
      if (request.timer !== undefined) this.deps.clock.clearTimer(request.timer);
      request.timer = undefined;
      if (this.request !== request) return;
      turn = new BotTurn(input, request.endedAt, request.startedAt);
      this.turnAnswered(turn, this.bot.api, reply, reply.message);
      this.deps.log.debug({ transcript: reply.transcript, message: reply.message, dialogState: reply.dialogState, intent: reply.intentName }, 'lex reply');
      outcome = await this.play(request, turn, reply);
      if (this.request === request) this.request = undefined;
      if (outcome === 'played') {
        this.turnEnded(turn, outcome);
        this.replyPlayed(turn);
      }
    } catch (err) {
      // A superseded turn (barge-in) must not touch the playback of the turn that replaced it.
      if (this.request !== request) return;
      this.request = undefined;
      this.playback.clear();
      if (this.closed) return;
      if (request.timedOut) {
        outcome = 'failed';
        this.report(new ConnectorError('LEX_TIMEOUT', undefined, { detail: 'no answer after the end of the utterance' }));
        this.replyPlayed(undefined);
        return;
      }
      if (request.abort.signal.aborted) return;
      outcome = 'failed';
      this.report(asConnectorError(err));
      // The caller is waiting: a silence from now on counts.
      this.replyPlayed(undefined);
    } finally {
      if (turn) this.turnEnded(turn, outcome);
    }
  }

  /** Streams the reply into playback; settles with how it ended. */
  private async play(request: Request, turn: BotTurn, reply: BotReply): Promise<TurnOutcome> {
    this.beginReply(reply.audioRateHz);
    let first = true;
    for await (const chunk of reply.audio ?? []) {
      if (this.request !== request) return 'interrupted';
      this.pushReply(chunk);
      if (first && chunk.length > 0) {
        first = false;
        this.turnAudioStarted(turn);
      }
    }
    if (this.request !== request) return 'interrupted';
    this.turnAudioEnded(turn, this.bot.api);
    return (await this.playback.finish()) === 'played' ? 'played' : 'interrupted';
  }
}
