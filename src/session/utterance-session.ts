import type { BotReply, UtteranceBot, UtteranceUpload } from '../bots/bot.js';
import { fromLexError, isPermanent } from '../bots/errors.js';
import type { ConnectorError } from '../errors.js';
import { Segmenter, type SegmentEvent } from '../audio/segmenter.js';
import { voiceGateFor } from '../audio/vad/voice-gate.js';
import type { Resampler } from '../audio/resampler.js';
import type { VadScorer } from '../audio/vad.js';
import { asBytes, frameSamples } from '../audio/pcm.js';
import type { CallHandlers, CallTransport } from '../transports/transport.js';
import { FrameAssembler } from '../transports/transport.js';
import type { CallConfig } from './call-config.js';
import { CloseCodes } from './close-codes.js';
import { DtmfCollector } from './dtmf-collector.js';
import { sessionPlayback, type Playback } from './playback.js';
import type { SessionDeps, SessionEnd } from './session-deps.js';

/**
 * Frames per write into the Lex request body while the caller speaks (100 ms): one socket
 * write per 20 ms frame costs CPU for nothing, since Lex answers only after the end, when
 * the rest is flushed at once.
 */
const UPLOAD_BATCH_FRAMES = 5;

/** The Lex request of the current turn. */
interface Turn {
  abort: AbortController;
  /** Frames waiting to be written to the upload as one chunk. */
  batch?: Buffer[];
  /** Clock time the Lex request started. */
  startedAt: number;
  upload?: UtteranceUpload;
  /** Clock time the caller stopped speaking (or finished a DTMF entry). */
  endedAt?: number;
}

/**
 * A call on a per-utterance route (Lex V1 PostContent or V2 RecognizeUtterance):
 * local VAD finds utterances, each streams into its own Lex request while the caller
 * speaks, and the reply streams back through the pacer. One Lex request at a time.
 */
export class UtteranceSession implements CallHandlers {
  private readonly lexRateHz: number;
  private readonly inResampler: Resampler;
  private readonly lexFrames: FrameAssembler | undefined;
  private readonly vad: VadScorer;
  private readonly segmenter: Segmenter;
  private readonly playback: Playback;
  private readonly dtmf: DtmfCollector;
  private turn: Turn | undefined;
  private closed = false;
  private readonly reported = new Set<string>();
  /** Counters for the summary line. */
  readonly stats = { turns: 0, bargeIns: 0, errors: 0, dtmf: 0 };

  constructor(
    private readonly transport: CallTransport,
    private readonly call: CallConfig,
    private readonly bot: UtteranceBot,
    private readonly deps: SessionDeps,
    private readonly end: SessionEnd,
  ) {
    // Lex takes 8 kHz or 16 kHz; 24 kHz calls are resampled to 16 kHz.
    this.lexRateHz = transport.rateHz === 8000 ? 8000 : 16000;
    this.inResampler = deps.resamplers.create(transport.rateHz, this.lexRateHz);
    this.lexFrames = transport.rateHz === this.lexRateHz ? undefined : new FrameAssembler(frameSamples(this.lexRateHz) * 2);
    this.vad = deps.vad.create(call.sensitivity, this.lexRateHz);
    this.segmenter = new Segmenter({ silenceMs: call.silenceMs, minSpeechMs: call.clipMinMs, maxUtteranceMs: call.clipMaxMs, preRollMs: 300, gate: voiceGateFor(call.sensitivity) });
    this.playback = sessionPlayback(transport, deps);
    this.dtmf = new DtmfCollector(deps.clock, deps.dtmfTimeoutMs, (digits) => this.sendDigits(digits));
  }

  onAudio(frame: Int16Array): void {
    if (this.closed) return;
    if (!this.lexFrames) return this.onLexFrame(frame);
    const out = this.inResampler.process(frame);
    this.lexFrames.push(asBytes(out), (f) => this.onLexFrame(f));
  }

  onDtmf(digit: string): void {
    if (this.closed) return;
    this.stats.dtmf++;
    this.deps.metrics.dtmf.inc();
    if (!this.dtmf.active) this.interrupt();
    this.dtmf.key(digit);
  }

  onMark(name: string): void {
    this.playback.onMark(name);
  }

  onHangup(): void {
    this.close();
  }

  /** Ends everything the session holds; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.turn?.abort.abort();
    this.turn = undefined;
    this.dtmf.close();
    this.playback.close();
    this.vad.close();
    this.inResampler.close();
    this.bot.close();
  }

  private onLexFrame(frame: Int16Array): void {
    // Without barge-in, the caller is not heard while the bot is busy with a turn.
    const botBusy = (this.turn !== undefined && this.turn.endedAt !== undefined) || this.playback.speaking;
    if (!this.call.bargeIn && botBusy) {
      if (this.segmenter.inUtterance) this.segmenter.reset();
      return;
    }
    this.vad.score(frame, (speech) => {
      if (this.closed) return;
      const ev = this.segmenter.push(frame, speech);
      if (ev) this.onSegment(ev);
    });
  }

  private onSegment(ev: SegmentEvent): void {
    switch (ev.type) {
      case 'start': {
        this.interrupt();
        const abort = new AbortController();
        const upload = this.bot.startUtterance(this.lexRateHz, abort.signal);
        const turn: Turn = { abort, upload, startedAt: this.deps.clock.now(), batch: ev.frames.map((f) => asBytes(f)) };
        this.turn = turn;
        this.flushUpload(turn);
        void this.runTurn(turn, upload.reply);
        return;
      }
      case 'audio': {
        const turn = this.turn;
        if (!turn?.upload) return;
        (turn.batch ??= []).push(asBytes(ev.frame));
        if (turn.batch.length >= UPLOAD_BATCH_FRAMES) this.flushUpload(turn);
        return;
      }
      case 'end':
        if (this.turn?.upload) {
          this.turn.endedAt = this.deps.clock.now();
          this.flushUpload(this.turn);
          this.turn.upload.end();
          this.deps.log.debug({ speechMs: ev.speechMs, reason: ev.reason }, 'utterance ended');
        }
        return;
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  /** Writes the batched frames as one chunk of the request body. */
  private flushUpload(turn: Turn): void {
    if (!turn.upload || !turn.batch?.length) return;
    turn.upload.write(turn.batch.length === 1 ? turn.batch[0] : Buffer.concat(turn.batch));
    turn.batch = [];
  }

  /** Caller input while the bot is busy: stop the prompt and cancel the pending request. */
  private interrupt(): void {
    const speaking = this.playback.speaking;
    if (!speaking && !this.turn) return;
    if (speaking) {
      this.stats.bargeIns++;
      this.deps.metrics.bargeIns.inc({ route: this.deps.route });
    }
    this.playback.clear();
    this.turn?.abort.abort();
    this.turn = undefined;
  }

  private sendDigits(digits: string): void {
    if (this.closed) return;
    this.interrupt();
    this.deps.log.debug({ digits }, 'dtmf entry');
    const abort = new AbortController();
    const now = this.deps.clock.now();
    const turn: Turn = { abort, endedAt: now, startedAt: now };
    this.turn = turn;
    void this.runTurn(turn, this.bot.sendText(digits, abort.signal));
  }

  private async runTurn(turn: Turn, replyPromise: Promise<BotReply>): Promise<void> {
    const { clock, metrics, log, route } = this.deps;
    try {
      const reply = await replyPromise;
      const replyAt = clock.now();
      if (this.turn !== turn) return;
      if (turn.endedAt !== undefined) metrics.lexFirstByte.observe({ api: this.bot.api }, (clock.now() - turn.endedAt) / 1000);
      log.debug({ transcript: reply.transcript, message: reply.message, dialogState: reply.dialogState, intent: reply.intentName }, 'lex reply');
      this.stats.turns++;
      metrics.turns.inc({ route });
      this.playback.begin(reply.audioRateHz);
      let first = true;
      for await (const chunk of reply.audio ?? []) {
        if (this.turn !== turn) return;
        this.playback.push(chunk);
        if (first && chunk.length > 0 && turn.endedAt !== undefined) {
          first = false;
          const latencyMs = clock.now() - turn.endedAt;
          metrics.turnLatency.observe({ route }, latencyMs / 1000);
          metrics.turnOverhead.observe({ route }, (clock.now() - replyAt) / 1000);
          log.debug({ latencyMs: Math.round(latencyMs) }, 'turn latency');
        }
      }
      if (this.turn !== turn) return;
      metrics.lexTotal.observe({ api: this.bot.api }, (clock.now() - turn.startedAt) / 1000);
      const outcome = await this.playback.finish();
      if (this.turn === turn) this.turn = undefined;
      if (reply.endCall && outcome === 'played' && !this.closed) this.end(CloseCodes.NORMAL);
    } catch (err) {
      // A superseded turn (barge-in) must not touch the playback of the turn that replaced it.
      if (this.turn !== turn) return;
      this.turn = undefined;
      this.playback.clear();
      if (turn.abort.signal.aborted || this.closed) return;
      this.report(fromLexError(err));
    }
  }

  private report(err: ConnectorError): void {
    this.stats.errors++;
    this.deps.metrics.errors.inc({ code: err.code });
    // Permanent errors (credentials, bot address) are logged once per call; the call keeps listening.
    if (isPermanent(err) && this.reported.has(err.code)) return;
    this.reported.add(err.code);
    this.deps.log.warn({ code: err.code, retryable: err.retryable, cause: err.cause }, err.message);
  }
}
