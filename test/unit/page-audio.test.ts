import { describe, expect, it } from 'vitest';
import { JitterBuffer } from '../../public/phone/jitter-buffer.js';
import { Resampler } from '../../public/phone/resampler.js';

/** A sine at `freqHz`, `n` samples at `rateHz`, amplitude 0.5. */
function sine(freqHz: number, rateHz: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
  return out;
}

/** Amplitude of `freqHz` in `x` (a single-bin DFT), skipping the first `skip` samples (the filter's start). */
function amplitudeAt(x: Float32Array, freqHz: number, rateHz: number, skip = 200): number {
  let re = 0;
  let im = 0;
  const n = x.length - skip;
  for (let i = skip; i < x.length; i++) {
    const w = (2 * Math.PI * freqHz * i) / rateHz;
    re += x[i] * Math.cos(w);
    im -= x[i] * Math.sin(w);
  }
  return (2 * Math.hypot(re, im)) / n;
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

/** Resamples in 128-sample blocks, as an audio worklet does. */
function streamed(r: Resampler, x: Float32Array, block = 128): Float32Array {
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += block) parts.push(r.process(x.subarray(i, i + block)));
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('page resampler (microphone down to the call rate, replies up to the device rate)', () => {
  it.each([
    [48000, 16000],
    [44100, 16000],
    [48000, 8000],
    [44100, 8000],
  ])('%i -> %i Hz: speech band passes within 0.1 dB; what would alias is 60 dB down', (inRate, outRate) => {
    const seconds = 1;
    for (const f of [300, 1000, outRate === 16000 ? 6000 : 3000]) {
      const y = streamed(new Resampler(inRate, outRate), sine(f, inRate, inRate * seconds));
      expect(Math.abs(db(amplitudeAt(y, f, outRate) / 0.5))).toBeLessThan(0.1);
    }
    // A tone above the output's Nyquist frequency folds to `alias` under naive decimation.
    const high = outRate * 0.5 + 1500;
    const alias = outRate - high;
    const y = streamed(new Resampler(inRate, outRate), sine(high, inRate, inRate * seconds));
    expect(db(amplitudeAt(y, alias, outRate) / 0.5)).toBeLessThan(-60);
    // Naive decimation (every k-th sample) lets it through at full level: the test can fail.
    if (inRate % outRate === 0) {
      const k = inRate / outRate;
      const x = sine(high, inRate, inRate * seconds);
      const naive = new Float32Array(x.length / k).map((_, i) => x[i * k]);
      expect(db(amplitudeAt(naive, alias, outRate) / 0.5)).toBeGreaterThan(-1);
    }
  });

  it.each([
    [16000, 48000],
    [8000, 44100],
  ])('%i -> %i Hz: the tone passes; its images are 60 dB down', (inRate, outRate) => {
    const y = streamed(new Resampler(inRate, outRate), sine(1000, inRate, inRate));
    expect(Math.abs(db(amplitudeAt(y, 1000, outRate) / 0.5))).toBeLessThan(0.1);
    expect(db(amplitudeAt(y, inRate - 1000, outRate) / 0.5)).toBeLessThan(-60);
    expect(db(amplitudeAt(y, inRate + 1000, outRate) / 0.5)).toBeLessThan(-60);
  });

  it('streams: any block size gives the same samples, and the rate ratio holds', () => {
    const x = sine(440, 48000, 48000);
    const a = streamed(new Resampler(48000, 16000), x, 128);
    const b = streamed(new Resampler(48000, 16000), x, 1000);
    expect(b.length).toBe(a.length);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
    expect(Math.abs(a.length - 16000)).toBeLessThan(60);
  });
});

describe('page jitter buffer', () => {
  const frame = (n: number, v = 0.5): Float32Array => new Float32Array(n).fill(v);

  it('waits for the pre-buffer, then plays in order', () => {
    const jb = new JitterBuffer(1000, 200);
    const out = new Float32Array(128);
    jb.write(frame(150, 0.25));
    expect(jb.pull(out)).toEqual([]);
    expect(out.every((v) => v === 0)).toBe(true);
    jb.write(frame(150, 0.5));
    jb.pull(out);
    expect(out.every((v) => v === 0.25)).toBe(true);
    expect(jb.stats.playedSamples).toBe(128);
  });

  it('a short reply plays at once when it has ended (its mark arrived), and the mark is reported when played', () => {
    const jb = new JitterBuffer(1000, 200);
    const out = new Float32Array(128);
    jb.write(frame(100));
    jb.mark('m1');
    expect(jb.pull(out)).toEqual(['m1']);
    expect(out.slice(0, 100).every((v) => v === 0.5)).toBe(true);
    expect(out.slice(100).every((v) => v === 0)).toBe(true);
    expect(jb.stats).toMatchObject({ playedSamples: 100, underruns: 0, marksPlayed: 1 });
  });

  it('counts an underrun when it runs dry in the middle of a reply, then buffers again', () => {
    const jb = new JitterBuffer(1000, 100);
    const out = new Float32Array(128);
    jb.write(frame(150));
    jb.pull(out);
    jb.pull(out);
    expect(jb.stats.underruns).toBe(1);
    jb.write(frame(50));
    jb.pull(out);
    expect(jb.stats.playedSamples).toBe(150);
  });

  it('after an underrun it waits for more before playing again, up to its limit', () => {
    const jb = new JitterBuffer(10_000, 100, 50, 180);
    const out = new Float32Array(128);
    for (const expected of [150, 180]) {
      jb.write(frame(150));
      jb.pull(out);
      jb.pull(out);
      expect(jb.prebuffer).toBe(expected);
    }
    expect(jb.stats).toMatchObject({ underruns: 2, playedSamples: 300 });
    jb.write(frame(170));
    jb.pull(out);
    expect(jb.stats.playedSamples).toBe(300);
    jb.write(frame(10));
    jb.pull(out);
    expect(jb.stats.playedSamples).toBe(428);
  });

  it('clear (barge-in) drops every queued sample and pending mark at once', () => {
    const jb = new JitterBuffer(1000, 10);
    const out = new Float32Array(128);
    jb.write(frame(600));
    jb.mark('m1');
    jb.pull(out);
    expect(jb.clear()).toBe(472);
    expect(jb.buffered).toBe(0);
    expect(jb.pull(out)).toEqual([]);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(jb.stats).toMatchObject({ clears: 1, clearedSamples: 472, playedSamples: 128, marksPlayed: 0 });
  });

  it('drops and counts what does not fit', () => {
    const jb = new JitterBuffer(100, 10);
    expect(jb.write(frame(150))).toBe(100);
    expect(jb.stats.overflowSamples).toBe(50);
  });
});
