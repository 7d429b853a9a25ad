import type { Logger } from 'pino';
import type { Voice, VoiceName } from './voice.js';

/**
 * A voice that speaks with `primary` and, should it fail on a message, says it with
 * `fallback` instead (and logs why), so a reply always has audio.
 */
export class FallbackVoice implements Voice {
  readonly name: VoiceName;

  constructor(
    private readonly primary: Voice,
    private readonly fallback: Voice,
    private readonly log?: Logger,
  ) {
    this.name = primary.name;
  }

  async synthesize(text: string, rateHz: number): Promise<Int16Array> {
    try {
      return await this.primary.synthesize(text, rateHz);
    } catch (err) {
      this.log?.warn({ err, voice: this.primary.name }, 'emulator voice failed; the synthetic voice says this message');
      return this.fallback.synthesize(text, rateHz);
    }
  }
}
