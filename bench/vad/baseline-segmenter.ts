// The segmenter as it was before the noise-floor gate (bench/vad baseline only; not product code).
import { FRAME_MS, rmsDbfs } from '../../src/audio/pcm.js';

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
   * Inside an utterance, a frame this many dB below the utterance's loudest voiced frame
   * counts as silence whatever the VAD says (default 35; 0 disables). WebRTC VAD keeps
   * reporting speech for ~120 ms after speech stops (its hangover), even on digital
   * silence; without this gate that time is added to every turn.
   */
  endGateDb?: number;
}

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
 * An utterance is only announced (`start`) once it has `minSpeechMs` of speech, so a
 * click never opens a Lex request; the frames buffered until then are handed over.
 * Frames are referenced, not copied: callers must pass frames they will not reuse.
 */
export class BaselineSegmenter {
  private readonly preRoll: Int16Array[] = [];
  private readonly preRollFrames: number;
  private pending: Int16Array[] | undefined;
  private active = false;
  private framesSinceOnset = 0;
  private lastSpeechFrame = 0;
  private silentFrames = 0;
  private peakDb = -Infinity;

  constructor(private readonly opts: SegmenterOptions) {
    this.preRollFrames = Math.ceil(opts.preRollMs / FRAME_MS);
  }

  /** True while an utterance is confirmed and not yet ended. */
  get inUtterance(): boolean {
    return this.active;
  }

  /** Feeds one 20 ms frame with its VAD decision; returns at most one event. */
  push(frame: Int16Array, speech: boolean): SegmentEvent | undefined {
    // `speech` (the VAD) decides onset and speech length (clip_min); `loud` decides the end:
    // the VAD's hangover frames, far below the utterance's peak, already count as silence.
    let loud = speech;
    const gate = this.opts.endGateDb ?? 35;
    if (this.pending !== undefined && gate > 0 && speech) {
      const level = rmsDbfs(frame);
      if (level > this.peakDb) this.peakDb = level;
      if (level < this.peakDb - gate) loud = false;
    }
    if (this.pending === undefined) {
      if (!speech) {
        this.preRoll.push(frame);
        if (this.preRoll.length > this.preRollFrames) this.preRoll.shift();
        return undefined;
      }
      this.pending = this.preRoll.splice(0);
      this.peakDb = gate > 0 ? rmsDbfs(frame) : -Infinity;
      this.framesSinceOnset = 0;
      this.lastSpeechFrame = 0;
      this.silentFrames = 0;
    }
    this.framesSinceOnset++;
    if (speech) this.lastSpeechFrame = this.framesSinceOnset;
    if (loud) this.silentFrames = 0;
    else this.silentFrames++;
    const speechMs = this.lastSpeechFrame * FRAME_MS;
    if (!this.active) {
      this.pending.push(frame);
      if (this.silentFrames * FRAME_MS >= this.opts.silenceMs) {
        this.reset(); // too short: a click or a breath
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

  /** Forgets any partial utterance (e.g. when the call stops listening). */
  reset(): void {
    this.pending = undefined;
    this.active = false;
    this.preRoll.length = 0;
  }
}
