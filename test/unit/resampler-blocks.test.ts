import { describe, expect, it } from 'vitest';
import { ResamplerFactory } from '../../src/audio/resampler.js';

function sweep(n: number, rateHz: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * (200 + i / 40) * i) / rateHz));
  return out;
}

function joined(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

describe('resampler block sizes', () => {
  // Input longer than the block the resampler keeps in WASM is split; the split must not show.
  it.each([
    [16000, 8000],
    [8000, 16000],
  ])('%i -> %i Hz: 3 s in one call equals the same audio in 20 ms frames, sample for sample', async (from, to) => {
    const f = await ResamplerFactory.load();
    const input = sweep(from * 3, from);
    const whole = f.create(from, to);
    const framed = f.create(from, to);
    const a = whole.process(input);
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += from / 50) parts.push(framed.process(input.subarray(i, i + from / 50)));
    const b = joined(parts);
    expect(a.length).toBe(b.length);
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
    expect(a.length).toBeGreaterThan((input.length * to) / from - 200);
    whole.close();
    framed.close();
  });
});
