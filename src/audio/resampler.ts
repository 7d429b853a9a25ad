import type { EmscriptenModule } from './wasm-heap.js';

/** A stateful mono PCM16 resampler: one per direction per call. */
export interface Resampler {
  readonly inRateHz: number;
  readonly outRateHz: number;
  /** Resamples a block; output length follows the rate ratio (filter delay aside). */
  process(input: Int16Array): Int16Array;
  /** Returns the samples still held in the filter (feeds zeros through it). */
  flush(): Int16Array;
  /** Frees WASM memory; idempotent. */
  close(): void;
}

interface SpeexModule extends EmscriptenModule {
  _speex_resampler_init(ch: number, inRate: number, outRate: number, quality: number, errPtr: number): number;
  _speex_resampler_destroy(st: number): void;
  _speex_resampler_process_int(st: number, ch: number, inPtr: number, inLenPtr: number, outPtr: number, outLenPtr: number): number;
  _speex_resampler_get_output_latency(st: number): number;
  _speex_resampler_get_input_latency(st: number): number;
  _speex_resampler_skip_zeros(st: number): number;
}

let speexModule: Promise<SpeexModule> | undefined;

function loadSpeex(): Promise<SpeexModule> {
  speexModule ??= import('@echogarden/speex-resampler-wasm/simd').then((m) => (m.default as () => Promise<SpeexModule>)());
  return speexModule;
}

/**
 * Largest block one `process` call hands to WASM at once (longer input is split): one 16 KiB
 * chunk of Lex's reply audio. Each resampler keeps an input and an output buffer of this size in
 * the shared WASM heap for its whole life, so it is sized for the blocks calls really pass (a
 * 20 ms frame, a reply chunk), not for a second of 48 kHz audio (which cost ~430 KiB per 8 kHz call).
 */
const MAX_BLOCK = 8192;

/** SpeexDSP's resampler (the one in WebRTC and PulseAudio) compiled to WASM. */
class SpeexResampler implements Resampler {
  private st: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private readonly lenPtr: number;
  private readonly outCap: number;

  constructor(
    private readonly m: SpeexModule,
    readonly inRateHz: number,
    readonly outRateHz: number,
    quality: number,
  ) {
    this.lenPtr = m._malloc(12);
    this.st = m._speex_resampler_init(1, inRateHz, outRateHz, quality, this.lenPtr + 8);
    if (this.st === 0) throw new RangeError(`speex resampler init failed for ${inRateHz}->${outRateHz}`);
    // Drop the filter's leading zeros so output is aligned with input (no added delay).
    m._speex_resampler_skip_zeros(this.st);
    this.outCap = Math.ceil((MAX_BLOCK * outRateHz) / inRateHz) + 64;
    this.inPtr = m._malloc(MAX_BLOCK * 2);
    this.outPtr = m._malloc(this.outCap * 2);
  }

  process(input: Int16Array): Int16Array {
    if (input.length > MAX_BLOCK) {
      const parts: Int16Array[] = [];
      for (let i = 0; i < input.length; i += MAX_BLOCK) parts.push(this.process(input.subarray(i, i + MAX_BLOCK)));
      return concatInt16(parts);
    }
    const m = this.m;
    m.HEAP16.set(input, this.inPtr >> 1);
    m.HEAP32[this.lenPtr >> 2] = input.length;
    m.HEAP32[(this.lenPtr >> 2) + 1] = this.outCap;
    m._speex_resampler_process_int(this.st, 0, this.inPtr, this.lenPtr, this.outPtr, this.lenPtr + 4);
    const produced = m.HEAP32[(this.lenPtr >> 2) + 1];
    return m.HEAP16.slice(this.outPtr >> 1, (this.outPtr >> 1) + produced);
  }

  flush(): Int16Array {
    const latency = this.m._speex_resampler_get_input_latency(this.st);
    return this.process(new Int16Array(latency));
  }

  close(): void {
    if (this.st === 0) return;
    this.m._speex_resampler_destroy(this.st);
    this.m._free(this.inPtr);
    this.m._free(this.outPtr);
    this.m._free(this.lenPtr);
    this.st = 0;
  }
}

/** Passes audio through unchanged when both rates are equal. */
class IdentityResampler implements Resampler {
  constructor(
    readonly inRateHz: number,
    readonly outRateHz: number,
  ) {}
  process(input: Int16Array): Int16Array {
    return input;
  }
  flush(): Int16Array {
    return new Int16Array(0);
  }
  close(): void {}
}

/** Creates resamplers; holds the loaded WASM module. */
export class ResamplerFactory {
  private constructor(
    private readonly speex: SpeexModule,
    readonly quality: number,
  ) {}

  /** Loads the speex WASM module; `quality` 0-10 (default 6: >= 60 dB stop band at 16k->8k). */
  static async load(quality = 6): Promise<ResamplerFactory> {
    return new ResamplerFactory(await loadSpeex(), quality);
  }

  /** A resampler from `inRateHz` to `outRateHz` (identity when equal). */
  create(inRateHz: number, outRateHz: number): Resampler {
    if (inRateHz === outRateHz) return new IdentityResampler(inRateHz, outRateHz);
    return new SpeexResampler(this.speex, inRateHz, outRateHz, this.quality);
  }
}

/** Concatenates Int16Arrays into one new array. */
export function concatInt16(parts: Int16Array[]): Int16Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Int16Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
