/**
 * The emulator's voice: how a bot message becomes the PCM16 audio of a reply.
 * docs/emulator.md "## Voice" has the measured comparison behind the choices.
 */

/** Names accepted by `--voice` and `EMULATOR_VOICE`. */
export const VOICE_NAMES = ['flite', 'flite-rms', 'synthetic'] as const;

/**
 * A voice name: `flite` (Flite's `kal16`, intelligible, the default), `flite-rms` (Flite's
 * `rms`: clearer through the 8 kHz telephone band, four to seven times the CPU) or `synthetic`
 * (speech-like, unintelligible, for benchmarks).
 */
export type VoiceName = (typeof VOICE_NAMES)[number];

/** Text to speech for bot messages. */
export interface Voice {
  readonly name: VoiceName;
  /**
   * Speaks `text` as PCM16 mono at `rateHz` (8000 or 16000) at a telephone level
   * (active speech about -26 dBFS, peaks well below full scale). Deterministic: the same
   * text and rate always give the same samples.
   */
  synthesize(text: string, rateHz: number): Promise<Int16Array>;
}

/** Whether `name` is a voice name. */
export function isVoiceName(name: string): name is VoiceName {
  return (VOICE_NAMES as readonly string[]).includes(name);
}
