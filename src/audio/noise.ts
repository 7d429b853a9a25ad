/**
 * Deterministic test signals for utterance detection: seeded white and pink noise, a
 * telephone band-pass, level measurement and mixing at a chosen level. Used by the
 * VAD benchmark corpus (`bench/vad/`) and by tests, so the same audio comes out on
 * every machine without any external tool.
 */

/** A seeded uniform PRNG in [0, 1) (an LCG: fast, repeatable, good enough for noise). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A seeded standard normal sampler (Box-Muller). */
export function seededGaussian(seed: number): () => number {
  const rand = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gaussian white noise, `n` samples, unit RMS (float). */
export function whiteNoise(n: number, seed: number): Float64Array {
  const g = seededGaussian(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = g();
  return out;
}

/** Pink (1/f) noise, `n` samples, unit RMS: Paul Kellet's filter over white noise. */
export function pinkNoise(n: number, seed: number): Float64Array {
  const g = seededGaussian(seed);
  const out = new Float64Array(n);
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    b3 = 0,
    b4 = 0,
    b5 = 0,
    b6 = 0;
  for (let i = 0; i < n; i++) {
    const w = g();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
  }
  return normalize(out);
}

/** Scales a float signal to unit RMS (in place). */
export function normalize(x: Float64Array): Float64Array {
  const r = rmsOf(x);
  if (r > 0) for (let i = 0; i < x.length; i++) x[i] /= r;
  return x;
}

/** RMS of a signal (any numeric array), optionally of a range. */
export function rmsOf(x: ArrayLike<number>, from = 0, to = x.length): number {
  let acc = 0;
  for (let i = from; i < to; i++) acc += x[i] * x[i];
  return Math.sqrt(acc / Math.max(1, to - from));
}

/**
 * Second-order band-pass sections (RBJ biquads): a 300 Hz high-pass and a 3400 Hz
 * low-pass, each applied twice (24 dB/octave), like a telephone channel.
 */
export function telephoneBand(x: Float64Array, rateHz: number): Float64Array {
  let y = x;
  for (let pass = 0; pass < 2; pass++) {
    y = biquad(y, rateHz, 300, 'highpass');
    y = biquad(y, rateHz, Math.min(3400, rateHz * 0.45), 'lowpass');
  }
  return y;
}

function biquad(x: Float64Array, rateHz: number, f0: number, type: 'lowpass' | 'highpass'): Float64Array {
  const w0 = (2 * Math.PI * f0) / rateHz;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const b1 = type === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = type === 'lowpass' ? b1 / 2 : -b1 / 2;
  const a0 = 1 + alpha;
  const [nb0, nb1, nb2, na1, na2] = [b0 / a0, b1 / a0, b0 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
  const y = new Float64Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = nb0 * x[i] + nb1 * x1 + nb2 * x2 - na1 * y1 - na2 * y2;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/** Amplitude (in PCM16 units) of an RMS level in dBFS (0 dBFS = RMS 32768). */
export function dbfsToRms(dbfs: number): number {
  return 32768 * 10 ** (dbfs / 20);
}

/** Adds `gain · noise` to `into` (float), starting at `at`. */
export function addInto(into: Float64Array, noise: ArrayLike<number>, gain: number, at = 0): void {
  const n = Math.min(noise.length, into.length - at);
  for (let i = 0; i < n; i++) into[at + i] += gain * noise[i];
}

/** Rounds a float signal to PCM16 with clipping. */
export function toPcm16(x: ArrayLike<number>): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i])));
  return out;
}
