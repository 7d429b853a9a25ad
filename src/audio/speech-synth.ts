/**
 * Deterministic speech-like audio: voiced syllables (a glottal pulse train shaped by
 * two vowel formants) with word and sentence gaps. Not intelligible speech; it is
 * built so a WebRTC VAD classifies it as speech and its length follows the text.
 */

const VOWEL_FORMANTS: [number, number][] = [
  [730, 1090], // a
  [530, 1840], // e
  [270, 2290], // i
  [570, 840], // o
  [300, 870], // u
];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Milliseconds of audio `synthesize` produces for `text`. */
export function synthDurationMs(text: string): number {
  let ms = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) ms += syllables(word) * 160 + 70;
  return ms + 100;
}

function syllables(word: string): number {
  return Math.max(1, Math.min(6, (word.match(/[aeiouy]+/gi) ?? []).length));
}

/** Synthesizes `text` as PCM16 mono at `rateHz`; peak about -12 dBFS. */
export function synthesize(text: string, rateHz: number): Int16Array {
  const out = new Int16Array(Math.round((synthDurationMs(text) * rateHz) / 1000));
  let pos = Math.round(0.05 * rateHz);
  let seed = hash(text);
  const rand = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let s = 0; s < syllables(word); s++) {
      const n = Math.round(0.16 * rateHz);
      const [f1, f2] = VOWEL_FORMANTS[Math.floor(rand() * VOWEL_FORMANTS.length)];
      const f0 = 105 + rand() * 40;
      for (let i = 0; i < n && pos + i < out.length; i++) {
        const t = i / rateHz;
        const env = Math.sin((Math.PI * i) / n) ** 0.6;
        const pitch = f0 * (1 + 0.08 * Math.sin(2 * Math.PI * 3 * t));
        let v = 0;
        // Harmonics of the pitch, weighted by their distance to the two formants.
        for (let h = 1; h * pitch < Math.min(3400, rateHz / 2 - 200); h++) {
          const f = h * pitch;
          const w = 1 / (1 + ((f - f1) / 120) ** 2) + 0.6 / (1 + ((f - f2) / 160) ** 2) + 0.05;
          v += w * Math.sin(2 * Math.PI * f * t + h);
        }
        out[pos + i] = Math.max(-32768, Math.min(32767, Math.round(v * env * 2600)));
      }
      pos += n;
    }
    pos += Math.round(0.07 * rateHz);
  }
  return out;
}
