import type { Voice, VoiceName } from './voice.js';

/** Bounds of a `CachedVoice`. */
export interface VoiceCacheLimits {
  /** Most clips kept (default 512). */
  maxEntries: number;
  /** Most PCM bytes kept (default 32 MiB, about 17 minutes of 16 kHz speech). */
  maxBytes: number;
}

/**
 * A voice that synthesizes each (text, rate) once: prompts repeat across calls and
 * turns. Least recently used clips are dropped beyond the limits; concurrent requests
 * for the same clip share one synthesis; a failed synthesis is not kept.
 */
export class CachedVoice implements Voice {
  readonly name: VoiceName;
  private readonly clips = new Map<string, Promise<Int16Array>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;
  private readonly limits: VoiceCacheLimits;

  constructor(
    private readonly inner: Voice,
    limits: Partial<VoiceCacheLimits> = {},
  ) {
    this.name = inner.name;
    this.limits = { maxEntries: 512, maxBytes: 32 * 2 ** 20, ...limits };
  }

  /** Clips held, and their total bytes (resolved clips only). */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.clips.size, bytes: this.bytes };
  }

  synthesize(text: string, rateHz: number): Promise<Int16Array> {
    const key = `${rateHz}:${text}`;
    const hit = this.clips.get(key);
    if (hit) {
      // Re-insert: Map order is the recency order.
      this.clips.delete(key);
      this.clips.set(key, hit);
      return hit;
    }
    const clip = this.inner.synthesize(text, rateHz);
    this.clips.set(key, clip);
    clip.then(
      (pcm) => {
        if (this.clips.get(key) !== clip) return;
        this.sizes.set(key, pcm.byteLength);
        this.bytes += pcm.byteLength;
        this.evict();
      },
      () => {
        if (this.clips.get(key) === clip) this.clips.delete(key);
      },
    );
    this.evict();
    return clip;
  }

  private evict(): void {
    for (const key of this.clips.keys()) {
      if (this.clips.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) return;
      this.clips.delete(key);
      this.bytes -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    }
  }
}
