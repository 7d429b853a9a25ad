import { FRAME_MS, rmsDbfs } from './pcm.js';
import { DEFAULT_VOICE_GATE, Voice, VoiceGate, type VoiceGateOptions } from './vad/voice-gate.js';

/** Tuning of utterance detection; all durations in ms (the original's NCCO meanings). */
export interface SegmenterOptions {
  /** Trailing silence that ends an utterance (`silence_time`, default 400). */
  silenceMs: number;
  /** Utterances with less speech than this are discarded (`clip_min`, default 200). */
  minSpeechMs: number;
  /** An utterance is cut here and sent (`clip_max`, default 10000). */
  maxUtteranceMs: number;
  /** Audio kept from before the detected onset (default 300). */
  preRollMs: number;
  /**
   * The voice gate's thresholds (noise floor, margins; `DEFAULT_VOICE_GATE`). A VAD speech
   * frame counts only when it stands out from the background: see `VoiceGate`.
   */
  gate?: Partial<VoiceGateOptions>;
}

/** VAD speech frames after the last voice frame that still count as speech for `clip_min` (100 ms). */
const HANGOVER_CREDIT_FRAMES = 5;

/** What the segmenter decided for one frame. */
export type SegmentEvent =
  /** Speech confirmed: `frames` holds pre-roll and the audio since onset, in order. */
  | { type: 'start'; frames: Int16Array[] }
  /** A frame inside a confirmed utterance (pauses included). */
  | { type: 'audio'; frame: Int16Array }
  /** The utterance ended: after `silenceMs` of silence, or at `maxUtteranceMs`. */
  | { type: 'end'; reason: 'silence' | 'max'; speechMs: number };

/**
 * Turns per-frame VAD decisions into utterances: pre-roll before the onset, pauses
 * inside the sentence kept, ended by trailing silence, short clips discarded.
 * Each decision first passes the `VoiceGate` (noise floor tracking), so background
 * noise and distant talkers neither start nor prolong an utterance.
 * An utterance is only announced (`start`) once it has `minSpeechMs` of speech, so a
 * click never opens a Lex request; the frames buffered until then are handed over.
 * Frames are referenced, not copied: callers must pass frames they will not reuse.
 */
export class Segmenter {
  private readonly preRoll: Int16Array[] = [];
  private readonly preRollFrames: number;
  private readonly gate: VoiceGate;
  private pending: Int16Array[] | undefined;
  private active = false;
  private framesSinceOnset = 0;
  private lastSpeechFrame = 0;
  private silentFrames = 0;
  private hangover = 0;

  constructor(private readonly opts: SegmenterOptions) {
    this.preRollFrames = Math.ceil(opts.preRollMs / FRAME_MS);
    this.gate = new VoiceGate({ ...DEFAULT_VOICE_GATE, ...opts.gate });
  }

  /** True while an utterance is confirmed and not yet ended. */
  get inUtterance(): boolean {
    return this.active;
  }

  /** Feeds one 20 ms frame with its VAD decision; returns at most one event. */
  push(frame: Int16Array, speech: boolean): SegmentEvent | undefined {
    const level = rmsDbfs(frame);
    const voice = this.gate.classify(level, speech, this.pending === undefined);
    if (this.pending === undefined) {
      if (voice !== Voice.Onset) {
        this.preRoll.push(frame);
        if (this.preRoll.length > this.preRollFrames) this.preRoll.shift();
        return undefined;
      }
      this.pending = this.preRoll.splice(0);
      this.gate.startUtterance(level);
      this.framesSinceOnset = 0;
      this.lastSpeechFrame = 0;
      this.silentFrames = 0;
    }
    this.framesSinceOnset++;
    if (voice !== Voice.None) {
      this.lastSpeechFrame = this.framesSinceOnset;
      this.silentFrames = 0;
      this.hangover = HANGOVER_CREDIT_FRAMES;
    } else {
      this.silentFrames++;
      // The VAD's own hangover right after the voice counts towards clip_min (a short "yes"
      // is kept, as with the original), but only that long: background speech never does.
      if (speech && this.hangover > 0) {
        this.hangover--;
        this.lastSpeechFrame = this.framesSinceOnset;
      } else {
        this.hangover = 0;
      }
    }
    const speechMs = this.lastSpeechFrame * FRAME_MS;
    if (!this.active) {
      this.pending.push(frame);
      if (this.silentFrames * FRAME_MS >= this.opts.silenceMs) {
        this.discard(); // too short: a click or a breath
        return undefined;
      }
      if (speechMs >= this.opts.minSpeechMs) {
        this.active = true;
        return { type: 'start', frames: this.pending };
      }
      return undefined;
    }
    if (this.silentFrames * FRAME_MS >= this.opts.silenceMs || this.framesSinceOnset * FRAME_MS >= this.opts.maxUtteranceMs) {
      const reason = this.silentFrames * FRAME_MS >= this.opts.silenceMs ? 'silence' : 'max';
      this.reset();
      // The frame that ends the utterance is trailing silence; it is not sent.
      return { type: 'end', reason, speechMs };
    }
    return { type: 'audio', frame };
  }

  /**
   * Drops a candidate too short to be speech. Its last frames are the audio just before
   * whatever comes next, so they become the pre-roll: the next onset keeps its history.
   */
  private discard(): void {
    const frames = this.pending ?? [];
    this.pending = undefined;
    this.active = false;
    this.preRoll.length = 0;
    this.preRoll.push(...frames.slice(Math.max(0, frames.length - this.preRollFrames)));
  }

  /**
   * A frame that is not the caller's input (the bot is speaking and barge-in is off): any
   * partial utterance is dropped, nothing is buffered, and the voice gate learns the
   * background from it, so that when the caller is heard again its noise floor is that of
   * the line now, not of the end of the last utterance.
   */
  background(frame: Int16Array): void {
    this.reset();
    this.gate.classify(rmsDbfs(frame), false, true);
  }

  /** Forgets any partial utterance (e.g. when the call stops listening). */
  reset(): void {
    this.pending = undefined;
    this.active = false;
    this.preRoll.length = 0;
  }
}
