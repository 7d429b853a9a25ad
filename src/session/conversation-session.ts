import type { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { LexConversationStream, type ConversationEvent } from '../bots/lexv2/conversation-stream.js';
import type { V2Address } from '../bots/lexv2/lex-v2-bot.js';

import { truthy } from '../bots/bot.js';
import { ConnectorError, isPermanent } from '../errors.js';
import type { Resampler } from '../audio/resampler.js';
import type { VadScorer } from '../audio/vad.js';
import { asBytes } from '../audio/pcm.js';
import type { CallHandlers, CallTransport } from '../transports/transport.js';
import { FrameAssembler } from '../audio/framer.js';
import type { CallConfig } from '../call/call-config.js';
import { CloseCodes } from '../call/close-codes.js';
import { sessionPlayback, type Playback } from './playback.js';
import type { SessionDeps, SessionEnd } from './session-deps.js';

/** Reopen attempts after Lex ends or drops the stream, before closing with 4008. */
export const MAX_STREAM_REOPENS = 3;
/** First reopen backoff in ms; doubles per attempt. */
const REOPEN_BACKOFF_MS = 250;
/** After the caller hangs up, how long Lex gets to end the stream before it is cancelled. */
const DISCONNECT_GRACE_MS = 2000;

const SILENCE_8K = new Uint8Array(320);

/**
 * A call on the streaming route (Lex V2 StartConversation): all caller audio streams to Lex
 * as 8 kHz LPCM and Lex does the end-pointing, barge-in detection and DTMF. Prompts play
 * through the pacer; the platform's playout mark becomes PlaybackCompletionEvent; a
 * PlaybackInterruptionEvent clears playback at once. Dropped streams reopen on the same
 * session id with bounded backoff.
 */
export class ConversationSession implements CallHandlers {
  private stream: LexConversationStream | undefined;
  private readonly toLex: Resampler;
  private readonly lexFrames: FrameAssembler | undefined;
  private readonly vad: VadScorer;
  private readonly playback: Playback;
  private readonly replyRateHz: number;
  private promptOpen = false;
  private discardUntilEnd = false;
  private hangupAfterPrompt = false;
  private reopens = 0;
  private reopenTimer: unknown;
  private graceTimer: unknown;
  private closed = false;
  /** Clock time of the last voiced caller frame (local VAD, for turn latency only). */
  private lastVoicedAt: number | undefined;
  private turnEndedAt: number | undefined;
  readonly stats = { turns: 0, bargeIns: 0, errors: 0, dtmf: 0, reopens: 0 };

  constructor(
    transport: CallTransport,
    private readonly call: CallConfig,
    private readonly client: LexRuntimeV2Client,
    private readonly addr: V2Address,
    private readonly deps: SessionDeps,
    private readonly end: SessionEnd,
  ) {
    this.toLex = deps.resamplers.create(transport.rateHz, 8000);
    this.lexFrames = transport.rateHz === 8000 ? undefined : new FrameAssembler(320);
    this.vad = deps.vad.create(call.sensitivity, 8000);
    // 8 kHz calls get 8 kHz prompts straight from Lex; others take 16 kHz and resample.
    this.replyRateHz = transport.rateHz === 8000 ? 8000 : 16000;
    this.playback = sessionPlayback(transport, deps);
    this.open(true);
  }

  onAudio(frame: Int16Array): void {
    if (this.closed) return;
    if (!this.lexFrames) return this.toLexFrame(frame);
    this.lexFrames.push(asBytes(this.toLex.process(frame)), (f) => this.toLexFrame(f));
  }

  onDtmf(digit: string): void {
    if (this.closed || !/^[0-9A-D*#]$/.test(digit)) return;
    this.stats.dtmf++;
    this.deps.metrics.dtmf.inc();
    this.turnEndedAt = this.deps.clock.now();
    this.stream?.sendDtmf(digit);
  }

  onMark(name: string): void {
    this.playback.onMark(name);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { clock } = this.deps;
    if (this.reopenTimer !== undefined) clock.clearTimer(this.reopenTimer);
    this.playback.close();
    this.vad.close();
    this.toLex.close();
    const stream = this.stream;
    if (!stream) return this.client.destroy();
    // Tell Lex the caller left; cancel if it does not end the stream in time.
    stream.disconnect();
    this.graceTimer = clock.setTimer(() => {
      this.graceTimer = undefined;
      stream.cancel();
      this.client.destroy();
    }, DISCONNECT_GRACE_MS);
  }

  private open(first: boolean): void {
    this.reopenTimer = undefined;
    const stream = new LexConversationStream(
      this.client,
      this.addr,
      (ev) => this.onEvent(ev),
      (err) => this.onStreamEnd(stream, err),
    );
    this.stream = stream;
    stream.start({
      responseContentType: this.replyRateHz === 8000 ? 'audio/pcm; sample-rate=8000' : 'audio/pcm',
      sessionAttributes: first ? this.call.sessionAttributes : undefined,
      requestAttributes: this.call.requestAttributes,
      welcomeMessage: first ? this.call.welcomeMessage : undefined,
      initialIntent: first ? this.call.initialIntent : undefined,
    });
  }

  private toLexFrame(frame: Int16Array): void {
    this.vad.score(frame, (speech) => {
      if (speech) this.lastVoicedAt = this.deps.clock.now();
    });
    // Without barge-in Lex must not hear the caller over a prompt: it gets silence instead.
    const bytes = !this.call.bargeIn && this.playback.speaking ? SILENCE_8K : asBytes(frame);
    if (this.stream && !this.stream.sendAudio(bytes)) this.deps.metrics.framesDropped.inc();
  }

  private onEvent(ev: ConversationEvent): void {
    if (this.closed) return;
    const { log, metrics, clock, route } = this.deps;
    switch (ev.type) {
      case 'transcript':
        this.turnEndedAt ??= this.lastVoicedAt ?? clock.now();
        log.debug({ transcript: ev.transcript }, 'lex transcript');
        return;
      case 'intent':
        this.reopens = 0; // the stream works
        log.debug({ inputMode: ev.inputMode, dialogAction: ev.dialogAction, intent: ev.intentName, intentState: ev.intentState }, 'lex intent');
        if ((this.call.hangupOnClose && ev.dialogAction === 'Close') || truthy(ev.sessionAttributes['nexmo-close'])) this.hangupAfterPrompt = true;
        return;
      case 'text':
        log.debug({ messages: ev.messages }, 'lex messages');
        return;
      case 'interruption':
        if (this.promptOpen) this.discardUntilEnd = true;
        this.promptOpen = false;
        if (this.playback.speaking) {
          this.stats.bargeIns++;
          metrics.bargeIns.inc({ route });
        }
        this.playback.clear();
        return;
      case 'heartbeat':
        return;
      case 'audio':
        return this.onAudioEvent(ev.chunk);
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  private onAudioEvent(chunk: Uint8Array | undefined): void {
    const { metrics, clock, route, log } = this.deps;
    if (this.discardUntilEnd) {
      if (!chunk) this.discardUntilEnd = false;
      return;
    }
    if (chunk) {
      if (!this.promptOpen) {
        this.promptOpen = true;
        this.stats.turns++;
        metrics.turns.inc({ route });
        this.playback.begin(this.replyRateHz);
        if (this.turnEndedAt !== undefined) {
          const latencyMs = clock.now() - this.turnEndedAt;
          metrics.lexFirstByte.observe({ api: 'v2-stream' }, latencyMs / 1000);
          metrics.turnLatency.observe({ route }, latencyMs / 1000);
          log.debug({ latencyMs: Math.round(latencyMs) }, 'turn latency');
        }
        this.turnEndedAt = undefined;
      }
      this.playback.push(chunk);
      return;
    }
    const hangup = this.hangupAfterPrompt;
    if (!this.promptOpen) {
      if (hangup) this.end(CloseCodes.NORMAL);
      return;
    }
    this.promptOpen = false;
    void this.playback.finish().then((outcome) => {
      // A prompt cut short by a clear is never reported as played.
      if (outcome !== 'played' || this.closed) return;
      this.stream?.sendPlaybackCompletion();
      if (hangup) this.end(CloseCodes.NORMAL);
    });
  }

  private onStreamEnd(stream: LexConversationStream, err?: ConnectorError): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    if (this.closed) {
      if (this.graceTimer !== undefined) this.deps.clock.clearTimer(this.graceTimer);
      this.graceTimer = undefined;
      this.client.destroy();
      return;
    }
    if (err) {
      this.stats.errors++;
      this.deps.metrics.errors.inc({ code: err.code });
      this.deps.log.warn({ code: err.code, cause: err.cause }, err.message);
      if (isPermanent(err)) return this.end(new ConnectorError('LEX_STREAM_FAILED', undefined, { detail: err.code, cause: err }));
    }
    if (this.reopens >= MAX_STREAM_REOPENS) return this.end(new ConnectorError('LEX_STREAM_FAILED', undefined, { detail: 'reopen attempts exhausted' }));
    // The prompt in flight is lost with the stream; Lex listens again on the new one.
    this.promptOpen = false;
    this.discardUntilEnd = false;
    this.playback.clear();
    const delay = REOPEN_BACKOFF_MS * 2 ** this.reopens;
    this.reopens++;
    this.stats.reopens++;
    this.deps.metrics.streamReopens.inc();
    this.deps.log.info({ attempt: this.reopens, delayMs: delay }, 'reopening lex stream');
    this.reopenTimer = this.deps.clock.setTimer(() => this.open(false), delay);
  }
}
