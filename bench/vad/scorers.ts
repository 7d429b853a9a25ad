import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ResamplerFactory, type Resampler } from '../../src/audio/resampler.js';
import type { EmscriptenModule } from '../../src/audio/wasm-heap.js';

/**
 * Candidate scorers that give a speech probability per 20 ms frame. They are measured by
 * the VAD benchmark against WebRTC VAD; the connector ships only what won (docs/audio.md).
 * `probability` resolves in frame order.
 */
export interface ProbabilityScorer {
  probability(frame: Int16Array): number | Promise<number>;
  close(): void;
}

interface RnnoiseModule extends EmscriptenModule {
  HEAPF32: Float32Array;
  _rnnoise_create(model: number): number;
  _rnnoise_destroy(st: number): void;
  _rnnoise_process_frame(st: number, out: number, inp: number): number;
  _rnnoise_get_frame_size(): number;
}

let rnnoise: Promise<RnnoiseModule> | undefined;

/**
 * RNNoise's voice probability (`@echogarden/rnnoise-wasm`). RNNoise runs at 48 kHz in
 * 10 ms frames, so the call audio is resampled up (speex, quality 3) and a 20 ms frame
 * scores the larger of its two probabilities.
 */
export async function rnnoiseScorer(rateHz: number): Promise<ProbabilityScorer> {
  rnnoise ??= import('@echogarden/rnnoise-wasm').then((m) => (m.default as () => Promise<RnnoiseModule>)());
  const m = await rnnoise;
  const up: Resampler = (await ResamplerFactory.load(3)).create(rateHz, 48000);
  const n = m._rnnoise_get_frame_size(); // 480
  const st = m._rnnoise_create(0);
  const inPtr = m._malloc(n * 4);
  const outPtr = m._malloc(n * 4);
  let buf = new Float32Array(0);
  let last = 0;
  return {
    probability(frame) {
      const x = up.process(frame);
      const joined = new Float32Array(buf.length + x.length);
      joined.set(buf);
      joined.set(x, buf.length);
      let best = -1;
      let o = 0;
      for (; o + n <= joined.length; o += n) {
        m.HEAPF32.set(joined.subarray(o, o + n), inPtr >> 2);
        best = Math.max(best, m._rnnoise_process_frame(st, outPtr, inPtr));
      }
      buf = joined.slice(o);
      if (best >= 0) last = best;
      return last;
    },
    close() {
      m._rnnoise_destroy(st);
      m._free(inPtr);
      m._free(outPtr);
      up.close();
    },
  };
}

interface OrtTensor {
  data: ArrayLike<number>;
}
interface Ort {
  env: { wasm: { numThreads: number } };
  Tensor: new (type: string, data: unknown, dims?: number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, opts?: unknown): Promise<{ run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> }> };
}

let silero: Promise<{ ort: Ort; model: Uint8Array }> | undefined;

/**
 * Silero VAD v5 (the ONNX model shipped in `@ricky0123/vad-web`) on onnxruntime-web's
 * WebAssembly backend in Node: plain `npm install`, no native build. The model scores
 * 512-sample windows at 16 kHz (256 at 8 kHz) with 64 (32) samples of context; a 20 ms
 * frame takes the latest window's probability.
 */
export async function sileroScorer(rateHz: number): Promise<ProbabilityScorer> {
  silero ??= (async () => {
    const ort = (await import('onnxruntime-web')) as unknown as Ort;
    ort.env.wasm.numThreads = 1;
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@ricky0123/vad-web/package.json'));
    return { ort, model: readFileSync(join(dir, 'dist', 'silero_vad_v5.onnx')) };
  })();
  const { ort, model } = await silero;
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  const win = rateHz === 8000 ? 256 : 512;
  const ctx = rateHz === 8000 ? 32 : 64;
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(rateHz)]));
  let state = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
  const input = new Float32Array(ctx + win);
  let pending = new Float32Array(0);
  let last = 0;
  return {
    async probability(frame) {
      const joined = new Float32Array(pending.length + frame.length);
      joined.set(pending);
      for (let i = 0; i < frame.length; i++) joined[pending.length + i] = frame[i] / 32768;
      let o = 0;
      for (; o + win <= joined.length; o += win) {
        input.copyWithin(0, win); // the previous window's tail is the context
        input.set(joined.subarray(o, o + win), ctx);
        const out = await session.run({ input: new ort.Tensor('float32', input.slice(), [1, ctx + win]), state, sr });
        state = out.stateN;
        last = out.output.data[0];
      }
      pending = joined.slice(o);
      return last;
    },
    close() {},
  };
}
