/**
 * G.711 µ-law, table driven: a 256-entry decode table and a 64 Ki-entry encode table
 * indexed by the 16-bit sample, so each sample is one lookup. Bit-identical to the
 * reference algorithm (tested against `alawmulaw`); chosen over it by measurement
 * (docs/audio.md).
 */

const BIAS = 0x84;
const CLIP = 32635;

function encodeReference(sample: number): number {
  const sign = (sample >> 8) & 0x80;
  let s = sign ? -sample : sample;
  s = Math.min(s + BIAS, CLIP);
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

const DECODE = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = (((u & 0x0f) << 3) + BIAS) << exponent;
  DECODE[i] = u & 0x80 ? BIAS - magnitude : magnitude - BIAS;
}

const ENCODE = new Uint8Array(65536);
for (let i = 0; i < 65536; i++) ENCODE[i] = encodeReference((i << 16) >> 16);

/** Decodes µ-law bytes into PCM16 (`out` must hold `ulaw.length` samples). */
export function mulawDecode(ulaw: Uint8Array, out: Int16Array = new Int16Array(ulaw.length)): Int16Array {
  for (let i = 0; i < ulaw.length; i++) out[i] = DECODE[ulaw[i]];
  return out;
}

/** Encodes PCM16 into µ-law bytes (`out` must hold `pcm.length` bytes). */
export function mulawEncode(pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length)): Uint8Array {
  for (let i = 0; i < pcm.length; i++) out[i] = ENCODE[pcm[i] & 0xffff];
  return out;
}
