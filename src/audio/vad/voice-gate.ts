import { FRAME_MS } from '../pcm.js';
import { NoiseFloor } from './noise-floor.js';

/** Decision thresholds of the voice gate (all levels in dB). */
export interface VoiceGateOptions {
  /** Least margin above the noise floor for a VAD speech frame to count as the caller's voice. */
  marginDb: number;
  /** The margin grows to this many times the background's own spread above its floor. */
  spreadFactor: number;
  /** Extra margin an utterance's first frame needs (onset is stricter than continuation). */
  onsetExtraDb: number;
  /** Minimum-statistics window of the noise floor, ms. */
  floorWindowMs: number;
  /** Inside an utterance the floor rises at most this fast (dB/s) from where it was at the onset. */
  floorRiseDbPerS: number;
  /** Inside an utterance, a frame this far below its loudest voice frame is silence (0: off). */
  peakGateDb: number;
}

/** Defaults (sensitivity 2) chosen on the noisy corpus (`npm run bench -- --vad`, docs/audio.md). */
export const DEFAULT_VOICE_GATE: VoiceGateOptions = {
  marginDb: 4,
  spreadFactor: 3,
  onsetExtraDb: 3,
  floorWindowMs: 1600,
  floorRiseDbPerS: 3,
  peakGateDb: 35,
};

/** Margins by `sensitivity` 0 (most sensitive) to 3 (least), measured in docs/audio.md. */
const BY_SENSITIVITY: Pick<VoiceGateOptions, 'marginDb' | 'spreadFactor'>[] = [
  { marginDb: 3, spreadFactor: 2.5 },
  { marginDb: 3.5, spreadFactor: 2.75 },
  { marginDb: 4, spreadFactor: 3 },
  { marginDb: 5, spreadFactor: 3.5 },
];

/**
 * The gate for a call's `sensitivity` (0-3, the WebRTC VAD mode it is paired with): lower
 * values accept voice closer to the background (quiet callers in noise are not cut, at
 * the risk of background talk prolonging a turn); higher values demand more.
 */
export function voiceGateFor(sensitivity: number): VoiceGateOptions {
  const s = Math.max(0, Math.min(3, Math.round(sensitivity)));
  return { ...DEFAULT_VOICE_GATE, ...BY_SENSITIVITY[s] };
}

/** What the gate decided for a frame. */
// biome-ignore lint/suspicious/noConstEnum: a per-frame value, compared on the hot path; no declaration emit depends on it
export const enum Voice {
  /** Background: no speech, or speech no louder than the noise around it. */
  None = 0,
  /** Caller's voice: keeps an utterance going. */
  Continue = 1,
  /** Caller's voice loud enough to start an utterance. */
  Onset = 2,
}

/**
 * The decision logic between a VAD's per-frame speech decision and the segmenter
 * (a scorer says "this sounds like speech"; the gate says "this is the caller"). It
 * tracks the noise floor and how far the background itself wanders above it, and
 * accepts a speech frame only when it stands out from that background. So steady noise
 * that a VAD calls speech, and distant talkers (babble), which a VAD rightly calls speech,
 * neither start nor prolong an utterance, and an utterance ends when the level falls back
 * to the floor, not 35 dB under its peak.
 */
export class VoiceGate {
  private readonly floor: NoiseFloor;
  private spread = 2;
  private peakDb = -Infinity;
  private onsetFloorDb = Infinity;
  private heldFrames = 0;

  constructor(private readonly opts: VoiceGateOptions = DEFAULT_VOICE_GATE) {
    this.floor = new NoiseFloor(Math.round(opts.floorWindowMs / FRAME_MS));
  }

  /** Current noise floor estimate, dBFS (as tracked, outside any utterance's hold). */
  get floorDb(): number {
    return this.floor.floorDb;
  }

  /**
   * Starts a new utterance: its loudest frame so far is the onset frame, and the floor
   * may fall but rises only slowly until it ends (a long turn with short pauses between
   * words would otherwise lift the minimum into the speech itself).
   */
  startUtterance(levelDb: number): void {
    this.peakDb = levelDb;
    this.onsetFloorDb = this.floor.floorDb;
    this.heldFrames = 0;
  }

  /**
   * Classifies one frame from its level (dBFS) and the VAD's decision. Call for every
   * frame; `idle` is true outside utterances, where every frame is background and
   * teaches the gate how far the background wanders above its floor.
   */
  classify(levelDb: number, speech: boolean, idle: boolean): Voice {
    const tracked = this.floor.update(levelDb);
    if (!idle) this.heldFrames++;
    const floor = idle ? tracked : Math.min(tracked, this.onsetFloorDb + (this.heldFrames * FRAME_MS * this.opts.floorRiseDbPerS) / 1000);
    const above = Math.max(levelDb, -100) - floor;
    if (idle) this.spread += 0.02 * (Math.min(Math.abs(above), 20) - this.spread);
    const margin = Math.max(this.opts.marginDb, this.opts.spreadFactor * this.spread);
    if (!speech || above < margin) return Voice.None;
    if (this.opts.peakGateDb > 0 && !idle) {
      if (levelDb > this.peakDb) this.peakDb = levelDb;
      if (levelDb < this.peakDb - this.opts.peakGateDb) return Voice.None;
    }
    return above >= margin + this.opts.onsetExtraDb ? Voice.Onset : Voice.Continue;
  }
}
