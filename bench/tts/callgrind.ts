/**
 * Instructions per second of speech, counted by callgrind (repeatable, unlike CPU time on a
 * shared machine): runs a candidate's child process of `compare.ts` under
 * `valgrind --tool=callgrind` with one and with two warm passes over the corpus and divides
 * the difference of the totals by the seconds of speech of one pass, so Node's start-up,
 * module loading, compilation and the cold pass cancel out.
 *
 *   flock /work/locks/bench.lock npx tsx bench/tts/callgrind.ts [--only synthetic,flite-kal16,flite-rms]
 *
 * Writes bench/results/tts-callgrind-<date>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, table } from '../lib/machine.js';

const { values } = parseArgs({ options: { only: { type: 'string', default: 'synthetic,flite-kal16,flite-rms' }, out: { type: 'string', default: 'bench/results' } } });
const compare = fileURLToPath(new URL('./compare.ts', import.meta.url));

/** Callgrind's instruction total for one child run, and the seconds of speech of one pass. */
function run(id: string, reps: number): { instructions: number; speechSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), `tts-cg-${id}-`));
  try {
    const out = join(dir, 'callgrind.out');
    execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, '--import', 'tsx', compare, '--child', id, '--dir', dir, '--reps', String(reps)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const m = /^summary: (\d+)/m.exec(readFileSync(out, 'utf8'));
    if (!m) throw new Error(`no callgrind summary for ${id}`);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { audioSeconds: number };
    return { instructions: Number(m[1]), speechSeconds: report.audioSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Record<string, unknown>[] = [];
for (const id of values.only!.split(',')) {
  const one = run(id, 1);
  const two = run(id, 2);
  const perSecond = (two.instructions - one.instructions) / one.speechSeconds;
  rows.push({
    voice: id,
    speechSecondsPerPass: Math.round(one.speechSeconds * 100) / 100,
    totalOnePass: one.instructions,
    totalTwoPasses: two.instructions,
    megaInstructionsPerSpeechSecond: Math.round(perSecond / 1e5) / 10,
  });
  console.error(`${id}: ${(perSecond / 1e6).toFixed(1)} M instructions per second of speech`);
}
table(rows);
const m = machine();
mkdirSync(values.out!, { recursive: true });
const file = `${values.out}/tts-callgrind-${String(m.date).slice(0, 19).replace(/[:T]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ machine: m, method: 'callgrind totals with 1 and 2 warm passes over the corpus; difference / seconds of speech in one pass', rows }, null, 2) + '\n');
console.log(`wrote ${file}`);
