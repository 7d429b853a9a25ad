/**
 * What the emulator's voice costs at start and at its first prompts, in a fresh Node
 * process per voice: `createEmulator()` time, when Flite's background compile is done,
 * the longest event-loop stall while it compiles, and the first two prompts (cold,
 * then a different text), at 8 kHz as on a phone call.
 *
 *   flock /work/locks/bench.lock npx tsx bench/tts/startup.ts   (writes bench/results/tts-startup-*.json)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '../../src/emulator/server.js';
import { loadFliteModule } from '../../src/emulator/voice/flite.js';
import type { VoiceName } from '../../src/emulator/voice/index.js';
import { machine, table } from '../lib/machine.js';

const round = (n: number): number => Math.round(n * 10) / 10;

async function child(voice: VoiceName): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const t0 = performance.now();
  const emu = await createEmulator({ voice });
  const startedMs = performance.now() - t0;
  if (voice === 'flite') await loadFliteModule();
  const voiceReadyMs = performance.now() - t0;
  const stallMs = loop.max / 1e6;
  loop.disable();
  const t1 = performance.now();
  await emu.core.voice.synthesize('What type of flowers would you like to order? Say roses, tulips or lilies, or press 1, 2 or 3.', 8000);
  const firstPromptMs = performance.now() - t1;
  const t2 = performance.now();
  await emu.core.voice.synthesize('Okay, your roses will be ready for pickup by 10:00 on 2026-11-27. Does this sound okay?', 8000);
  const secondPromptMs = performance.now() - t2;
  const t3 = performance.now();
  await emu.core.voice.synthesize('Okay, your roses will be ready for pickup by 10:00 on 2026-11-27. Does this sound okay?', 8000);
  const cachedPromptMs = performance.now() - t3;
  await emu.close();
  const out = { voice, createEmulatorMs: startedMs, voiceReadyMs, maxEventLoopStallDuringStartMs: stallMs, firstPromptMs, secondPromptMs, cachedPromptMs };
  process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))));
}

/** Runs the start-up measurement for each voice in its own process, `runs` times; medians. */
export function measureStartup(runs = 5): Record<string, unknown>[] {
  const results: Record<string, unknown>[] = [];
  for (const voice of ['synthetic', 'flite'] as const) {
    const samples: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', voice], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`startup child failed: ${r.stderr}`);
      samples.push(JSON.parse(r.stdout) as Record<string, number>);
    }
    const median = (k: string): number => samples.map((s) => s[k]).sort((a, b) => a - b)[Math.floor(runs / 2)];
    const keys = Object.keys(samples[0]).filter((k) => k !== 'voice');
    results.push({ voice, runs, ...Object.fromEntries(keys.map((k) => [`${k}Median`, median(k)])) });
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--child');
  if (i > 0) await child(process.argv[i + 1] as VoiceName);
  else {
    const results = measureStartup();
    table(results);
    const m = machine();
    const file = `bench/results/tts-startup-${String(m.date).slice(0, 19).replace(/[:T]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify({ machine: m, results }, null, 2) + '\n');
    console.log(`\nwrote ${file}`);
  }
}
