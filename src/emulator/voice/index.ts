import type { Logger } from 'pino';
import type { ResamplerFactory } from '../../audio/resampler.js';
import { CachedVoice, type VoiceCacheLimits } from './cache.js';
import { FallbackVoice } from './fallback.js';
import { FliteVoice } from './flite.js';
import { SyntheticVoice } from './synthetic.js';
import { isVoiceName, VOICE_NAMES, type VoiceName } from './voice.js';

export { VOICE_NAMES, isVoiceName, type Voice, type VoiceName } from './voice.js';
export { CachedVoice, type VoiceCacheLimits } from './cache.js';

/** The emulator's default voice: intelligible speech. */
export const DEFAULT_VOICE: VoiceName = 'flite';

/**
 * The cached voice `name` (throws RangeError for an unknown name). Flite's WebAssembly
 * module starts compiling in the background now (docs/emulator.md "## Voice" has the
 * cost), so neither the caller nor, usually, the first prompt waits for it; should
 * Flite fail, the message is said by the synthetic voice.
 */
export function createVoice(name: VoiceName, resamplers: ResamplerFactory, opts: { logger?: Logger; cache?: Partial<VoiceCacheLimits> } = {}): CachedVoice {
  if (!isVoiceName(name)) throw new RangeError(`unknown emulator voice "${String(name)}" (one of ${VOICE_NAMES.join(', ')})`);
  if (name === 'synthetic') return new CachedVoice(new SyntheticVoice(), opts.cache);
  const flite = new FliteVoice(resamplers, name);
  flite.prepare().catch((err: unknown) => opts.logger?.warn({ err }, 'emulator voice: flite did not load; the synthetic voice says the prompts'));
  return new CachedVoice(new FallbackVoice(flite, new SyntheticVoice(), opts.logger), opts.cache);
}
