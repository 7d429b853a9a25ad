import { addInto, dbfsToRms, rmsOf, toPcm16, whiteNoise } from '../../src/audio/noise.js';
import { speech } from './audio.js';

/** A caller turn's true first and last speech sample. */
export interface Turn {
  onset: number;
  offset: number;
}

/** Background: seeded white noise, or babble made of four other (synthetic) talkers. */
export type Background = 'white' | 'babble';

const BABBLE_TEXTS = [
  'the weather today will be mostly sunny with a few clouds in the afternoon',
  'after the meeting we walked down to the harbour and watched the boats',
  'in the second half the visitors pressed forward and the home side defended',
  'she said the bakery on the corner sells the best bread in town every day',
];

/** Four synthetic talkers, each looping its sentence from its own offset, summed; unit RMS. */
export function babble(n: number, rateHz: number): Float64Array {
  const out = new Float64Array(n);
  BABBLE_TEXTS.forEach((text, k) => {
    const s = speech(text, rateHz);
    const g = 1 / rmsOf(s);
    const period = s.length + Math.round(0.15 * rateHz);
    for (let i = 0; i < n; i++) {
      const p = (i + Math.round(((k + 1) * period) / 5)) % period;
      out[i] += p < s.length ? s[p] * g : 0;
    }
  });
  const g = 1 / rmsOf(out);
  for (let i = 0; i < n; i++) out[i] *= g;
  return out;
}

/**
 * A call in noise, built without any external tool: `texts` spoken by the synthetic
 * voice at `speechDbfs` (RMS over each turn), 1 s apart, after a 700 ms lead-in, over
 * `background` at `speechDbfs - snrDb`. Returns the PCM and each turn's true span.
 */
export function noisyCall(texts: string[], rateHz: number, background: Background, snrDb: number, speechDbfs = -22, seed = 1): { pcm: Int16Array; turns: Turn[] } {
  const parts = texts.map((t) => speech(t, rateHz));
  const gap = rateHz;
  let pos = Math.round(0.7 * rateHz);
  const turns: Turn[] = [];
  for (const p of parts) {
    turns.push({ onset: pos, offset: pos + p.length });
    pos += p.length + gap;
  }
  const x = new Float64Array(pos + Math.round(0.5 * rateHz));
  for (const [i, p] of parts.entries()) addInto(x, p, dbfsToRms(speechDbfs) / rmsOf(p), turns[i].onset);
  const noise = background === 'white' ? whiteNoise(x.length, seed) : babble(x.length, rateHz);
  addInto(x, noise, dbfsToRms(speechDbfs - snrDb));
  return { pcm: toPcm16(x), turns };
}
