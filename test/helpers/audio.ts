import { synthesize } from '../../src/audio/speech-synth.js';

/** Deterministic low-level noise (about -80 dBFS), so every position in a recording is unique. (WebRTC VAD modes 0-2 take louder white noise at 16 kHz for speech.) */
export function noise(ms: number, rateHz: number, seed = 1): Int16Array {
  const out = new Int16Array(Math.round((ms * rateHz) / 1000));
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 16) % 7) - 3;
  }
  return out;
}

/** Synthesized speech without the synth's own leading and trailing silence. */
export function speech(text: string, rateHz: number): Int16Array {
  const s = synthesize(text, rateHz);
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === 0) a++;
  while (b > a && s[b - 1] === 0) b--;
  return s.subarray(a, b);
}

/** Concatenates PCM blocks into one Buffer. */
export function pcm(...parts: Int16Array[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}

/** A spoken turn: lead-in noise, the synthesized text, trailing noise long enough to end it. */
export function utterance(text: string, rateHz: number, seed = 1): Buffer {
  return pcm(noise(300, rateHz, seed), synthesize(text, rateHz), noise(900, rateHz, seed + 1));
}

/** A pure tone. */
export function tone(freqHz: number, ms: number, rateHz: number, amplitude = 10000): Int16Array {
  const out = new Int16Array(Math.round((ms * rateHz) / 1000));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freqHz * i) / rateHz));
  return out;
}

/** RMS of PCM16 bytes. */
export function rms(bytes: Buffer): number {
  const s = new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
  let acc = 0;
  for (const v of s) acc += v * v;
  return Math.sqrt(acc / Math.max(1, s.length));
}
