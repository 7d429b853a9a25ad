import type { EmscriptenModule } from './wasm-heap.js';
import { frameSamples } from './pcm.js';

/**
 * A voice-activity scorer: one decision per 20 ms frame. Implementations wrap the
 * WebRTC VAD algorithm; the decision logic (pre-roll, hangover) lives in `Segmenter`.
 */
export interface VadScorer {
  /** True when the 20 ms frame (PCM16 at the scorer's rate) holds speech. */
  isSpeech(frame: Int16Array): boolean;
  /** Releases native or WASM memory; idempotent. */
  close(): void;
}

/** Rates the WebRTC VAD accepts. */
export const VAD_RATES = [8000, 16000, 32000, 48000] as const;

interface FvadModule extends EmscriptenModule {
  _fvad_new(): number;
  _fvad_free(h: number): void;
  _fvad_set_mode(h: number, mode: number): number;
  _fvad_set_sample_rate(h: number, rate: number): number;
  _fvad_process(h: number, ptr: number, samples: number): number;
}

let fvadModule: Promise<FvadModule> | undefined;

function loadFvad(): Promise<FvadModule> {
  fvadModule ??= import('@echogarden/fvad-wasm').then((m) => (m.default as () => Promise<FvadModule>)());
  return fvadModule;
}

/** WebRTC VAD (libfvad) compiled to WASM: synchronous, ~2 µs per frame. */
class FvadScorer implements VadScorer {
  private handle: number;
  private readonly ptr: number;
  private readonly samples: number;

  constructor(private readonly m: FvadModule, mode: number, rateHz: number) {
    this.handle = m._fvad_new();
    if (m._fvad_set_mode(this.handle, mode) !== 0 || m._fvad_set_sample_rate(this.handle, rateHz) !== 0) {
      m._fvad_free(this.handle);
      throw new RangeError(`unsupported VAD mode ${mode} or rate ${rateHz}`);
    }
    this.samples = frameSamples(rateHz);
    this.ptr = m._malloc(this.samples * 2);
  }

  isSpeech(frame: Int16Array): boolean {
    if (this.handle === 0) return false;
    this.m.HEAP16.set(frame.subarray(0, this.samples), this.ptr >> 1);
    return this.m._fvad_process(this.handle, this.ptr, this.samples) === 1;
  }

  close(): void {
    if (this.handle === 0) return;
    this.m._fvad_free(this.handle);
    this.m._free(this.ptr);
    this.handle = 0;
  }
}

/** Creates VAD scorers; holds the loaded engine so each call only allocates a handle. */
export class VadFactory {
  private constructor(private readonly fvad: FvadModule) {}

  /** Loads the WASM WebRTC VAD once per process. */
  static async load(): Promise<VadFactory> {
    return new VadFactory(await loadFvad());
  }

  /** A scorer for `mode` (0 least to 3 most aggressive) at `rateHz` (8000 or 16000). */
  create(mode: number, rateHz: number): VadScorer {
    return new FvadScorer(this.fvad, mode, rateHz);
  }
}
