/**
 * A streaming band-limited resampler for any pair of rates (windowed-sinc interpolation),
 * used by the page's audio worklets: microphone (44.1/48 kHz) down to the call rate, and the
 * call rate up to the output device's rate. The kernel is a sinc low-pass at 90 % of the
 * lower rate's Nyquist frequency under a Kaiser window (beta 8, about 80 dB stop-band), so
 * a downsampled signal is not aliased and an upsampled one carries no images. Kernel values
 * are tabulated at 256 phases per input sample and interpolated linearly between phases.
 * Plain JavaScript with no imports: it runs in an AudioWorkletGlobalScope and in Node (tests).
 */

/** Zeroth-order modified Bessel function of the first kind (Kaiser window). */
function besselI0(x) {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

const PHASES = 256;
const ZERO_CROSSINGS = 24;
const KAISER_BETA = 8;
const PASSBAND = 0.9;

export class Resampler {
  /**
   * @param {number} inRateHz input sample rate
   * @param {number} outRateHz output sample rate
   */
  constructor(inRateHz, outRateHz) {
    this.inRateHz = inRateHz;
    this.outRateHz = outRateHz;
    /** Input samples advanced per output sample. */
    this.step = inRateHz / outRateHz;
    // Cut-off in cycles per input sample.
    const fc = 0.5 * PASSBAND * Math.min(1, outRateHz / inRateHz);
    this.half = Math.ceil(ZERO_CROSSINGS / (2 * fc));
    const taps = 2 * this.half;
    const i0Beta = besselI0(KAISER_BETA);
    // table[p * taps + k]: weight of input sample (base - half + 1 + k) for fractional position p / PHASES.
    this.table = new Float32Array((PHASES + 1) * taps);
    for (let p = 0; p <= PHASES; p++) {
      const frac = p / PHASES;
      let sum = 0;
      for (let k = 0; k < taps; k++) {
        const x = k - this.half + 1 - frac;
        const r = x / this.half;
        const w = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
        const arg = 2 * fc * x;
        const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        const h = 2 * fc * sinc * w;
        this.table[p * taps + k] = h;
        sum += h;
      }
      // Unity gain at DC for every phase.
      for (let k = 0; k < taps; k++) this.table[p * taps + k] /= sum;
    }
    this.taps = taps;
    this.reset();
  }

  /** Forgets the signal so far (a new stream, or after a `clear`). */
  reset() {
    // History of half - 1 zeros before the first sample, so output 0 is centred on input 0.
    this.buf = new Float32Array(4096);
    this.len = this.half - 1;
    this.t = 0;
  }

  /**
   * Resamples the next block of a stream.
   * @param {Float32Array} input samples at inRateHz
   * @returns {Float32Array} the output samples this block completes, at outRateHz
   */
  process(input) {
    if (this.len + input.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.buf.length * 2, this.len + input.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(input, this.len);
    this.len += input.length;
    const { buf, table, taps, step } = this;
    // Output n is centred on input position t (relative to buf[half - 1]); it needs buf up to base + taps - 1.
    const count = Math.max(0, Math.ceil((this.len - taps + 1 - this.t) / step));
    const out = new Float32Array(count);
    let t = this.t;
    for (let n = 0; n < count; n++) {
      const base = Math.floor(t);
      const pos = (t - base) * PHASES;
      const p = Math.floor(pos);
      const a = pos - p;
      const r0 = p * taps;
      const r1 = r0 + taps;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += buf[base + k] * (table[r0 + k] + a * (table[r1 + k] - table[r0 + k]));
      out[n] = acc;
      t += step;
    }
    // Keep what the next outputs still need.
    const drop = Math.min(Math.floor(t), this.len);
    buf.copyWithin(0, drop, this.len);
    this.len -= drop;
    this.t = t - drop;
    return out;
  }
}
