import type { ResamplerFactory } from '../../audio/resampler.js';
import { concatInt16 } from '../../audio/resampler.js';

/**
 * Resamples a whole clip from `fromHz` to `toHz` with the speex resampler, flushing the
 * filter so the clip keeps its end; the result has exactly `length * toHz / fromHz`
 * samples (rounded) and is aligned with the input.
 */
export function resampleAll(resamplers: ResamplerFactory, pcm: Int16Array, fromHz: number, toHz: number): Int16Array {
  if (fromHz === toHz) return pcm;
  const r = resamplers.create(fromHz, toHz);
  try {
    return concatInt16([r.process(pcm), r.flush()]).subarray(0, Math.round((pcm.length * toHz) / fromHz));
  } finally {
    r.close();
  }
}
