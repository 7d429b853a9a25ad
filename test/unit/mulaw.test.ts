import { describe, expect, it } from 'vitest';
import alawmulaw from 'alawmulaw';

const { mulaw } = alawmulaw;
import { mulawDecode, mulawEncode } from '../../src/audio/mulaw.js';

describe('µ-law', () => {
  it('encodes every 16-bit sample exactly as the reference implementation', () => {
    const all = new Int16Array(65536);
    for (let i = 0; i < 65536; i++) all[i] = i - 32768;
    expect(Buffer.from(mulawEncode(all))).toEqual(Buffer.from(mulaw.encode(all)));
  });

  it('decodes every byte exactly as the reference implementation', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(Array.from(mulawDecode(all))).toEqual(Array.from(mulaw.decode(all)));
  });

  it('round-trips within G.711 quantization error', () => {
    const pcm = new Int16Array([0, 1000, -1000, 32000, -32000]);
    const back = mulawDecode(mulawEncode(pcm));
    pcm.forEach((v, i) => {
      expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(Math.max(8, Math.abs(v) / 16));
    });
  });
});
