/** PCM16 little-endian mono helpers. A frame is always 20 ms at its rate. */

export const FRAME_MS = 20;

/** Samples in one 20 ms frame at `rateHz`. */
export function frameSamples(rateHz: number): number {
  return (rateHz / 1000) * FRAME_MS;
}

/** Bytes in one 20 ms PCM16 frame at `rateHz` (320, 640 or 960). */
export function frameBytes(rateHz: number): number {
  return frameSamples(rateHz) * 2;
}

/** Milliseconds of audio in `bytes` of PCM16 at `rateHz`. */
export function bytesToMs(bytes: number, rateHz: number): number {
  return (bytes / 2 / rateHz) * 1000;
}

/** Int16 view over the bytes of `buf` (copies only when `buf` is not 2-byte aligned). */
export function asInt16(buf: Uint8Array): Int16Array {
  if (buf.byteOffset % 2 === 0) return new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength >> 1);
  const copy = new Uint8Array(buf.byteLength & ~1);
  copy.set(buf.subarray(0, copy.byteLength));
  return new Int16Array(copy.buffer);
}

/** Buffer view over the bytes of an Int16Array (no copy). */
export function asBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Root-mean-square level of a PCM16 block, in dBFS (-Infinity for digital silence). */
export function rmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let acc = 0;
  for (let i = 0; i < samples.length; i++) acc += samples[i] * samples[i];
  const rms = Math.sqrt(acc / samples.length) / 32768;
  return rms === 0 ? -Infinity : 20 * Math.log10(rms);
}
