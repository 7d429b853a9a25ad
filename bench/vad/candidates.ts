import { VadFactory } from '../../src/audio/vad.js';
import { Segmenter } from '../../src/audio/segmenter.js';
import { voiceGateFor, type VoiceGateOptions } from '../../src/audio/vad/voice-gate.js';
import { BaselineSegmenter } from './baseline-segmenter.js';
import { SEGMENT, type Decide, type FramePusher } from './evaluate.js';
import { rnnoiseScorer, sileroScorer, type ProbabilityScorer } from './scorers.js';

/** One engine and setting under test: a per-frame decider and the segmenter behind it. */
export interface Candidate {
  name: string;
  /** Scorer: fvad-wasm, rnnoise or silero. */
  engine: string;
  /** Segmenter decision logic: `peak` (before: 35 dB under the peak ends) or `floor` (noise-floor gate). */
  gate: 'peak' | 'floor';
  /** Heavy candidates run on a subset of the corpus to keep the benchmark bounded. */
  heavy: boolean;
  make(rateHz: number): Promise<{ decide: Decide; seg: FramePusher; close(): void }>;
}

function segmenter(gate: 'peak' | 'floor', opts?: Partial<VoiceGateOptions>): FramePusher {
  return gate === 'peak' ? new BaselineSegmenter(SEGMENT) : new Segmenter({ ...SEGMENT, gate: opts });
}

function fvad(mode: number, gate: 'peak' | 'floor', opts?: Partial<VoiceGateOptions>): Candidate {
  return {
    name: `fvad-wasm mode ${mode} + ${gate} gate`,
    engine: 'fvad-wasm',
    gate,
    heavy: false,
    async make(rateHz) {
      const vad = (await VadFactory.load('fvad-wasm')).create(mode, rateHz);
      let last = false;
      return {
        decide: (f) => (vad.score(f, (s) => (last = s)), last),
        seg: segmenter(gate, opts),
        close: () => vad.close(),
      };
    },
  };
}

function probabilistic(engine: string, load: (rateHz: number) => Promise<ProbabilityScorer>, threshold: number, gate: 'peak' | 'floor', heavy: boolean): Candidate {
  return {
    name: `${engine} p>=${threshold} + ${gate} gate`,
    engine,
    gate,
    heavy,
    async make(rateHz) {
      const s = await load(rateHz);
      return {
        decide: (f) => {
          const p = s.probability(f);
          return typeof p === 'number' ? p >= threshold : p.then((v) => v >= threshold);
        },
        seg: segmenter(gate),
        close: () => s.close(),
      };
    },
  };
}

/** Every candidate the benchmark measures. */
export function candidates(): Candidate[] {
  const list: Candidate[] = [];
  for (const mode of [0, 1, 2, 3]) list.push(fvad(mode, 'peak'));
  // The connector: sensitivity s = WebRTC VAD mode s + the voice gate for s.
  for (const s of [0, 1, 2, 3]) list.push({ ...fvad(s, 'floor', voiceGateFor(s)), name: `fvad-wasm + floor gate, sensitivity ${s}` });
  for (const gate of ['peak', 'floor'] as const) list.push(probabilistic('rnnoise', rnnoiseScorer, 0.5, gate, false));
  for (const gate of ['peak', 'floor'] as const) list.push(probabilistic('silero', sileroScorer, 0.5, gate, true));
  return list;
}
