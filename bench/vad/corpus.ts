import { ResamplerFactory, concatInt16 } from '../../src/audio/resampler.js';
import { mulawDecode, mulawEncode } from '../../src/audio/mulaw.js';
import { addInto, dbfsToRms, pinkNoise, rmsOf, seededRandom, telephoneBand, toPcm16, whiteNoise } from '../../src/audio/noise.js';
import { ESPEAK_RATE_HZ, speak, type Voice } from './espeak.js';

/** A caller turn with its true first and last speech sample (the inner pause lies between). */
export interface TruthUtterance {
  onset: number;
  offset: number;
}

/** Kinds of background noise; `telephone` and `mulaw` also pass the mix through that channel. */
export type NoiseKind = 'white' | 'pink' | 'babble' | 'telephone' | 'mulaw';

/** One simulated call of the corpus: its audio and where the caller really spoke. */
export interface CorpusCall {
  id: string;
  rateHz: number;
  noise: NoiseKind;
  /** Speech-to-noise ratio in dB (speech RMS over its active span against noise RMS). */
  snrDb: number;
  pcm: Int16Array;
  utterances: TruthUtterance[];
}

/** Noise only, for false starts. */
export interface NoiseClip {
  id: string;
  rateHz: number;
  noise: NoiseKind;
  levelDbfs: number;
  pcm: Int16Array;
}

/** Inner pause inside a two-part utterance and gap between utterances (ms, onset to offset). */
export const INNER_PAUSE_MS = 300;
export const GAP_MS = 1000;
const LEAD_MS = 700;
const TAIL_MS = 1500;

/** Six callers: voice, rate (words per minute), pitch and speech level. */
const CALLERS: (Voice & { levelDbfs: number })[] = [
  { id: 'en-us', wpm: 160, pitch: 50, levelDbfs: -20 },
  { id: 'en-us+f3', wpm: 175, pitch: 60, levelDbfs: -24 },
  { id: 'en+m3', wpm: 135, pitch: 40, levelDbfs: -22 },
  { id: 'en-GB-scotland+f2', wpm: 150, pitch: 55, levelDbfs: -26 },
  { id: 'en-029', wpm: 195, pitch: 45, levelDbfs: -20 },
  { id: 'en-us+klatt', wpm: 150, pitch: 50, levelDbfs: -23 },
];

/** Each caller's four turns; a turn with two parts has a 300 ms pause inside. */
const SCRIPTS: string[][][] = [
  [['I would like to order some flowers'], ['roses'], ['tomorrow morning', 'around ten'], ['yes']],
  [['hello', 'I need to check my balance'], ['no'], ['my account number is four five six seven'], ['thank you']],
  [['can I speak to an agent please'], ['yes', 'that is right'], ['cancel my order'], ['nine']],
  [['I want to change my address'], ['twelve main street'], ['no', 'not that one'], ['goodbye']],
  [['what time do you open on saturday'], ['okay'], ['and on sunday', 'is it the same'], ['great thanks']],
  [['I lost my card'], ['yes please block it'], ['the one ending in two two', 'nine zero'], ['no that is all']],
];

/** Four background talkers for babble (voices not used by the callers). */
const BABBLE_TALKERS: { voice: Voice; text: string }[] = [
  {
    voice: { id: 'en-us+m1', wpm: 165, pitch: 45 },
    text: 'the weather today will be mostly sunny with a few clouds in the afternoon and a light breeze from the west while temperatures stay mild through the evening and into the night',
  },
  {
    voice: { id: 'en+f4', wpm: 180, pitch: 65 },
    text: 'after the meeting we walked down to the harbour and watched the boats come in one by one until the sun went down behind the hills and the lights came on',
  },
  {
    voice: { id: 'en-GB-x-rp+m5', wpm: 150, pitch: 35 },
    text: 'in the second half the visitors pressed forward and the home side defended deep but a late corner was headed in and the crowd went quiet for a moment',
  },
  {
    voice: { id: 'en-US-nyc+f1', wpm: 190, pitch: 55 },
    text: 'she said the bakery on the corner sells the best bread in town and if you get there early enough you can still buy the warm rolls before they run out',
  },
];

/** Trims digital silence from synthesized speech: first and last sample above -54 dB re its peak. */
function trim(x: Int16Array): Int16Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const thr = peak * 0.002;
  let a = 0;
  let b = x.length;
  while (a < b && Math.abs(x[a]) <= thr) a++;
  while (b > a && Math.abs(x[b - 1]) <= thr) b--;
  return x.subarray(a, b);
}

async function phrase(text: string, voice: Voice, rateHz: number, resamplers: ResamplerFactory, cacheDir: string): Promise<Float64Array> {
  const raw = await speak(text, voice, cacheDir);
  const r = resamplers.create(ESPEAK_RATE_HZ, rateHz);
  const y = trim(concatInt16([r.process(raw), r.flush()]));
  r.close();
  const out = new Float64Array(y.length);
  const g = 1 / rmsOf(y);
  for (let i = 0; i < y.length; i++) out[i] = y[i] * g; // unit RMS over the active span
  return out;
}

/** Babble: four talkers, each looping at its own length from a seeded offset, summed; unit RMS. */
async function babble(n: number, rateHz: number, seed: number, resamplers: ResamplerFactory, cacheDir: string): Promise<Float64Array> {
  const out = new Float64Array(n);
  const rand = seededRandom(seed);
  for (const t of BABBLE_TALKERS) {
    const s = await phrase(t.text, t.voice, rateHz, resamplers, cacheDir);
    const gap = Math.round(0.2 * rateHz); // a breath between repetitions
    const period = s.length + gap;
    let pos = Math.floor(rand() * period);
    for (let i = 0; i < n; i++) {
      out[i] += pos < s.length ? s[pos] : 0;
      pos = (pos + 1) % period;
    }
  }
  return normalizeRms(out);
}

function normalizeRms(x: Float64Array): Float64Array {
  const r = rmsOf(x);
  for (let i = 0; i < x.length; i++) x[i] /= r;
  return x;
}

async function noiseOf(kind: NoiseKind, n: number, rateHz: number, seed: number, resamplers: ResamplerFactory, cacheDir: string): Promise<Float64Array> {
  if (kind === 'babble') return babble(n, rateHz, seed, resamplers, cacheDir);
  if (kind === 'pink' || kind === 'telephone') return pinkNoise(n, seed);
  return whiteNoise(n, seed);
}

/** Applies the channel of a noise kind to the mixed call audio. */
function channel(kind: NoiseKind, x: Float64Array, rateHz: number): Int16Array {
  if (kind === 'telephone') return toPcm16(telephoneBand(x, rateHz));
  const pcm = toPcm16(x);
  return kind === 'mulaw' ? mulawDecode(mulawEncode(pcm)) : pcm;
}

/** A clean call layout: speech (float, at its level) and the truth. */
interface CleanCall {
  speech: Float64Array;
  utterances: TruthUtterance[];
  levelDbfs: number;
  click: number | undefined;
}

async function cleanCall(i: number, rateHz: number, resamplers: ResamplerFactory, cacheDir: string): Promise<CleanCall> {
  const caller = CALLERS[i];
  const ms = (v: number) => Math.round((v * rateHz) / 1000);
  const parts: { at: number; x: Float64Array }[] = [];
  const utterances: TruthUtterance[] = [];
  let pos = ms(LEAD_MS);
  for (const turn of SCRIPTS[i]) {
    const onset = pos;
    for (const [k, text] of turn.entries()) {
      if (k > 0) pos += ms(INNER_PAUSE_MS);
      const x = await phrase(text, caller, rateHz, resamplers, cacheDir);
      parts.push({ at: pos, x });
      pos += x.length;
    }
    utterances.push({ onset, offset: pos });
    pos += ms(GAP_MS);
  }
  const speech = new Float64Array(pos - ms(GAP_MS) + ms(TAIL_MS));
  const gain = dbfsToRms(caller.levelDbfs);
  for (const p of parts) addInto(speech, p.x, gain, p.at);
  // Every other call opens with a click in the lead-in (a VAD onset that must be discarded).
  return { speech, utterances, levelDbfs: caller.levelDbfs, click: i % 2 === 0 ? ms(100) : undefined };
}

/** Corpus dimensions. */
export interface CorpusSpec {
  rates: number[];
  noises: NoiseKind[];
  snrsDb: number[];
  /** Minutes of noise-only audio per noise kind and rate. */
  noiseOnlyMinutes: number;
  noiseOnlyDbfs: number;
  /** How many of the six callers to use. */
  callers: number;
  cacheDir: string;
}

/** Builds the corpus (deterministic: same spec, same samples). */
export async function buildCorpus(spec: CorpusSpec): Promise<{ calls: CorpusCall[]; noiseOnly: NoiseClip[] }> {
  const resamplers = await ResamplerFactory.load(6);
  const calls: CorpusCall[] = [];
  const noiseOnly: NoiseClip[] = [];
  for (const rateHz of spec.rates) {
    const cleans: CleanCall[] = [];
    for (let i = 0; i < spec.callers; i++) cleans.push(await cleanCall(i, rateHz, resamplers, cacheDir(spec)));
    for (const noise of spec.noises) {
      for (const snrDb of spec.snrsDb) {
        for (const [i, c] of cleans.entries()) {
          const x = Float64Array.from(c.speech);
          const seed = 1000 * i + 10 * snrDb + spec.noises.indexOf(noise) + rateHz;
          addInto(x, await noiseOf(noise, x.length, rateHz, seed, resamplers, cacheDir(spec)), dbfsToRms(c.levelDbfs - snrDb));
          if (c.click !== undefined) addInto(x, whiteNoise(Math.round(rateHz * 0.03), seed + 1), dbfsToRms(-15), c.click);
          calls.push({ id: `${noise}-${snrDb}dB-${rateHz}-c${i}`, rateHz, noise, snrDb, pcm: channel(noise, x, rateHz), utterances: c.utterances });
        }
      }
    }
    for (const noise of ['white', 'pink', 'babble'] as NoiseKind[]) {
      const n = Math.round(spec.noiseOnlyMinutes * 60 * rateHz);
      const x = await noiseOf(noise, n, rateHz, 77 + rateHz, resamplers, cacheDir(spec));
      const g = dbfsToRms(spec.noiseOnlyDbfs);
      for (let k = 0; k < n; k++) x[k] *= g;
      noiseOnly.push({ id: `noise-${noise}-${rateHz}`, rateHz, noise, levelDbfs: spec.noiseOnlyDbfs, pcm: toPcm16(x) });
    }
  }
  return { calls, noiseOnly };
}

function cacheDir(spec: CorpusSpec): string {
  return spec.cacheDir;
}

/** The corpus as committed results describe it (voices, texts, timings). */
export function describeCorpus(spec: CorpusSpec): Record<string, unknown> {
  return {
    ...spec,
    cacheDir: undefined,
    innerPauseMs: INNER_PAUSE_MS,
    gapMs: GAP_MS,
    leadMs: LEAD_MS,
    tailMs: TAIL_MS,
    callers: CALLERS.slice(0, spec.callers),
    scripts: SCRIPTS.slice(0, spec.callers),
    babbleTalkers: BABBLE_TALKERS.map((t) => t.voice),
    clicks: 'a 30 ms white-noise click at -15 dBFS, 100 ms into every other call',
    snrDefinition: 'speech RMS over each phrase (onset to offset) against noise RMS; telephone = pink noise, mix band-passed 300-3400 Hz; mulaw = white noise, mix through a G.711 round trip',
  };
}
