import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** eSpeak-NG's output rate. */
export const ESPEAK_RATE_HZ = 22050;

/** One eSpeak-NG voice setting. */
export interface Voice {
  /** eSpeak voice and variant, e.g. `en-us+f3`. */
  id: string;
  /** Words per minute. */
  wpm: number;
  /** Base pitch 0-99 (eSpeak default 50). */
  pitch: number;
}

interface EspeakWorker {
  set_voice(id: string): number;
  set_rate(wpm: number): number;
  set_pitch(p: number): number;
  synthesize(text: string, cb: (samples: Int16Array | undefined) => void): void;
}

/**
 * Runs `fn` with `Date.now` fixed. eSpeak seeds its random generator (breath and frication
 * noise) from the time of day, so without this the same phrase differs from run to run.
 */
async function withFrozenClock(fn: () => Promise<void>): Promise<void> {
  const now = Date.now;
  Date.now = () => 1_700_000_000_000;
  try {
    await fn();
  } finally {
    Date.now = now;
  }
}

/**
 * A fresh eSpeak-NG instance. eSpeak keeps state between utterances (its output for a phrase
 * depends on what it spoke before), so every phrase gets its own instance: the corpus is
 * the same whatever the order of synthesis or the state of the cache.
 */
async function espeak(): Promise<EspeakWorker> {
  const m = await import('@echogarden/espeak-ng-emscripten');
  const mod = await (m.default as () => Promise<{ eSpeakNGWorker: new () => EspeakWorker }>)();
  return new mod.eSpeakNGWorker();
}

/** The npm package and version that produced the corpus (recorded in the results). */
export function espeakPackage(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('@echogarden/espeak-ng-emscripten/package.json') as { name: string; version: string };
  return `${pkg.name}@${pkg.version}`;
}

/**
 * Speaks `text` with eSpeak-NG compiled to WebAssembly (an npm package: no system tool),
 * PCM16 at 22 050 Hz. Results are cached on disk under `cacheDir` by text, voice and
 * package version, so a second corpus build does not synthesize again.
 */
export async function speak(text: string, voice: Voice, cacheDir: string): Promise<Int16Array> {
  const key = createHash('sha256')
    .update(JSON.stringify([espeakPackage(), 'fresh instance, frozen clock', text, voice]))
    .digest('hex')
    .slice(0, 24);
  const file = join(cacheDir, `${key}.pcm`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  const parts: Int16Array[] = [];
  await withFrozenClock(async () => {
    const w = await espeak();
    if (w.set_voice(voice.id) !== 0) throw new Error(`eSpeak voice ${voice.id} not available`);
    w.set_rate(voice.wpm);
    w.set_pitch(voice.pitch);
    w.synthesize(text, (s) => {
      if (s?.length) parts.push(Int16Array.from(s));
    });
  });
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  return out;
}
