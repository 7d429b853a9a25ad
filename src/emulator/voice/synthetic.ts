import { synthesize } from '../../audio/speech-synth.js';
import type { Voice } from './voice.js';

/**
 * Speech-like but unintelligible audio (`src/audio/speech-synth.ts`): pitch pulses
 * shaped by vowel formants, about 160 ms per syllable. Microseconds of CPU per prompt
 * and no start-up, which is what the load benchmarks need.
 */
export class SyntheticVoice implements Voice {
  readonly name = 'synthetic';

  synthesize(text: string, rateHz: number): Promise<Int16Array> {
    return Promise.resolve(synthesize(text, rateHz));
  }
}
