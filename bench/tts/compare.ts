/**
 * Compares speech synthesizers from the npm registry for the emulator's voice:
 * install size, start-up, CPU per second of speech, output format, and
 * intelligibility as the word error rate of an independent recogniser (PocketSphinx,
 * Debian `pocketsphinx` + `pocketsphinx-en-us`) on the emulator's own prompts and the
 * Harvard sentences, at 16 kHz and through the 8 kHz telephone path.
 *
 *   flock /work/locks/bench.lock npx tsx bench/tts/compare.ts [--only id,id] [--out bench/results]
 *
 * The candidates install from bench/tts/candidates/package-lock.json (`npm ci --prefix`,
 * run here when missing). Each runs in its own Node process, so start-up is measured
 * cold. Writes bench/results/tts-<date>.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { resampleAll } from '../../src/emulator/voice/resample.js';
import { speakable } from '../../src/emulator/voice/speakable.js';
import { pocketsphinxMissing, transcribe16k, wordErrorRate } from '../../test/helpers/asr.js';
import { machine, table } from '../lib/machine.js';
import { CANDIDATES, CANDIDATES_DIR, type Candidate } from './candidates.js';
import { corpus } from './corpus.js';

/** What a candidate's own process measured. */
interface ChildReport {
  rateHz: number;
  initMs: number;
  initCpuMs: number;
  firstSynthMs: number;
  warmCpuMs: number;
  warmWallMs: number;
  maxSynthMs: number;
  audioSeconds: number;
  rssGrowthMiB: number;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Child: load the candidate, synthesize the corpus cold, then `reps` warm passes; write PCM files. */
async function child(id: string, dir: string, reps = 1): Promise<void> {
  const c = CANDIDATES.find((x) => x.id === id)!;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const synth = await c.load!();
  const initMs = performance.now() - t0;
  const initCpuMs = cpuMs(process.cpuUsage(cpu0));
  const items = corpus();
  const first = performance.now();
  const out = await synth(speakable(items[0].text));
  const firstSynthMs = performance.now() - first;
  for (const item of items.slice(1)) await synth(speakable(item.text)); // the rest of the cold pass
  let audioSeconds = 0;
  let maxSynthMs = 0;
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  for (const item of Array.from({ length: reps }, () => items).flat()) {
    const s = performance.now();
    const r = await synth(speakable(item.text));
    maxSynthMs = Math.max(maxSynthMs, performance.now() - s);
    audioSeconds += r.pcm.length / r.rateHz;
    writeFileSync(join(dir, `${item.id}.pcm`), Buffer.from(r.pcm.buffer, r.pcm.byteOffset, r.pcm.byteLength));
  }
  const report: ChildReport = {
    rateHz: out.rateHz,
    initMs,
    initCpuMs,
    firstSynthMs,
    warmCpuMs: cpuMs(process.cpuUsage(c0)) / reps,
    warmWallMs: (performance.now() - w0) / reps,
    maxSynthMs,
    audioSeconds: audioSeconds / reps,
    rssGrowthMiB: (process.memoryUsage().rss - rss0) / 2 ** 20,
  };
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
}

function duBytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + duBytes(join(path, f)), 0);
}

function installMiB(c: Candidate): number {
  return c.pkg ? duBytes(join(CANDIDATES_DIR, 'node_modules', c.pkg)) / 2 ** 20 : 0;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Runs one candidate in its own process and scores its audio. */
async function measure(c: Candidate, resamplers: ResamplerFactory, asr: boolean): Promise<Record<string, unknown>> {
  const base = { id: c.id, package: c.pkg ? `${c.pkg}@${pkgVersion(c.pkg)}` : '(repository)', engine: c.engine, licence: c.licence, installMiB: round(installMiB(c)) };
  if (c.unusable) return { ...base, unusable: c.unusable };
  const dir = mkdtempSync(join(tmpdir(), `tts-${c.id}-`));
  try {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', c.id, '--dir', dir], { stdio: 'inherit' });
    if (run.status !== 0) return { ...base, failed: `child exited with ${run.status}` };
    const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ChildReport;
    const scores = asr ? intelligibility(dir, r.rateHz, resamplers) : undefined;
    return {
      ...base,
      outputRateHz: r.rateHz,
      initMs: round(r.initMs),
      initCpuMs: round(r.initCpuMs),
      firstSynthMs: round(r.firstSynthMs),
      cpuMsPerSpeechSecond: round(r.warmCpuMs / r.audioSeconds, 2),
      realTimeFactor: round(r.warmWallMs / 1000 / r.audioSeconds, 4),
      maxSynthMs: round(r.maxSynthMs),
      audioSeconds: round(r.audioSeconds, 2),
      rssGrowthMiB: round(r.rssGrowthMiB),
      ...scores,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pkgVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(CANDIDATES_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Sums word errors per key. */
class WerTally {
  private readonly totals: Record<string, { errors: number; words: number }> = {};

  add(key: string, reference: string, heard: string): void {
    const e = wordErrorRate(reference, heard);
    const t = (this.totals[key] ??= { errors: 0, words: 0 });
    t.errors += e.errors;
    t.words += e.words;
  }

  pct(key: string): number {
    return round((100 * this.totals[key].errors) / this.totals[key].words);
  }

  words(key: string): number {
    return this.totals[key].words;
  }
}

/** The clip at 16 kHz, and through the 8 kHz telephone band (back to 16 kHz for the 16 kHz model). */
function bothPaths(resamplers: ResamplerFactory, pcm: Int16Array, rateHz: number): [Int16Array, Int16Array] {
  return [resampleAll(resamplers, pcm, rateHz, 16000), resampleAll(resamplers, resampleAll(resamplers, pcm, rateHz, 8000), 8000, 16000)];
}

/** WER at 16 kHz and through 8 kHz, for the bot prompts and the Harvard sentences. */
function intelligibility(dir: string, rateHz: number, resamplers: ResamplerFactory): Record<string, unknown> {
  const items = corpus();
  const clips = items.flatMap((item) => {
    const raw = readFileSync(join(dir, `${item.id}.pcm`));
    return bothPaths(resamplers, new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1), rateHz);
  });
  const heard = transcribe16k(clips);
  const tally = new WerTally();
  const transcripts: Record<string, { reference: string; heard16k: string; heard8k: string }> = {};
  items.forEach((item, i) => {
    const reference = speakable(item.text);
    const subset = item.bot ? 'bot' : 'harvard';
    tally.add(`${subset}16k`, reference, heard[2 * i]);
    tally.add(`${subset}8k`, reference, heard[2 * i + 1]);
    transcripts[item.id] = { reference, heard16k: heard[2 * i], heard8k: heard[2 * i + 1] };
  });
  return {
    werBotPrompts16kPct: tally.pct('bot16k'),
    werBotPrompts8kPct: tally.pct('bot8k'),
    werHarvard16kPct: tally.pct('harvard16k'),
    werHarvard8kPct: tally.pct('harvard8k'),
    referenceWords: { bot: tally.words('bot16k'), harvard: tally.words('harvard16k') },
    transcripts,
  };
}

const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';

/**
 * The recogniser on human speech, the same two paths: five LibriVox utterances from
 * Debian's `pocketsphinx-testdata` (16 kHz WAV, with their transcriptions), when installed.
 */
function humanControl(resamplers: ResamplerFactory): Record<string, unknown> | undefined {
  if (!existsSync(`${LIBRIVOX}/transcription`)) return undefined;
  const refs = readFileSync(`${LIBRIVOX}/transcription`, 'utf8')
    .split('\n')
    .map((l) => /^<s> (.*) <\/s> \((\S+)\)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null);
  const clips = refs.flatMap((m) => {
    const wav = readFileSync(`${LIBRIVOX}/${m[2]}.wav`);
    return bothPaths(resamplers, new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength - (wav.byteLength % 2))), 16000);
  });
  const heard = transcribe16k(clips);
  const tally = new WerTally();
  refs.forEach((m, i) => {
    tally.add('16k', m[1], heard[2 * i]);
    tally.add('8k', m[1], heard[2 * i + 1]);
  });
  return { source: 'pocketsphinx-testdata LibriVox (human reader)', utterances: refs.length, words: tally.words('16k'), wer16kPct: tally.pct('16k'), wer8kPct: tally.pct('8k') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { child: { type: 'string' }, dir: { type: 'string' }, reps: { type: 'string', default: '1' }, only: { type: 'string' }, out: { type: 'string', default: 'bench/results' } },
  });
  if (values.child) return child(values.child, values.dir!, Number(values.reps));
  if (!existsSync(join(CANDIDATES_DIR, 'node_modules'))) {
    execFileSync('npm', ['ci', '--prefix', CANDIDATES_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  const missing = pocketsphinxMissing();
  if (missing) console.warn(`intelligibility not measured: ${missing}`);
  const only = values.only?.split(',');
  const resamplers = await ResamplerFactory.load();
  const results: Record<string, unknown>[] = [];
  for (const c of CANDIDATES.filter((x) => !only || only.includes(x.id))) {
    console.error(`measuring ${c.id} ...`);
    results.push(await measure(c, resamplers, !missing));
  }
  table(
    results.map((r) => ({
      voice: r.id,
      'install MiB': r.installMiB,
      'rate Hz': r.outputRateHz ?? '',
      'init ms': r.initMs ?? '',
      'first ms': r.firstSynthMs ?? '',
      'CPU ms/speech-s': r.cpuMsPerSpeechSecond ?? '',
      'max synth ms': r.maxSynthMs ?? '',
      'WER bot 16k/8k %': r.werBotPrompts16kPct === undefined ? '' : `${r.werBotPrompts16kPct}/${r.werBotPrompts8kPct}`,
      'WER Harvard 16k/8k %': r.werHarvard16kPct === undefined ? '' : `${r.werHarvard16kPct}/${r.werHarvard8kPct}`,
      licence: r.licence,
      note: r.unusable ? 'not usable (see JSON)' : (r.failed ?? ''),
    })),
  );
  const m = machine();
  const stamp = String(m.date).slice(0, 19).replace(/[:T]/g, '-');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const recogniser = missing ? undefined : execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 'pocketsphinx', 'pocketsphinx-en-us']).toString().trim().split('\n');
  mkdirSync(values.out!, { recursive: true });
  const control = missing ? undefined : humanControl(resamplers);
  if (control) console.log(`\ncontrol, human speech: WER ${control.wer16kPct} % at 16 kHz, ${control.wer8kPct} % through 8 kHz`);
  const file = `${values.out}/tts-${stamp}.json`;
  writeFileSync(file, JSON.stringify({ machine: m, recogniser, humanControl: control, corpus: corpus(), results }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
