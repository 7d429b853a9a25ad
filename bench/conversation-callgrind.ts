/**
 * Instructions per StartConversation event, counted by callgrind (repeatable, unlike CPU
 * time on a shared machine): runs `conversation-micro.ts` under
 * `valgrind --tool=callgrind` with two numbers of rounds for each implementation and
 * divides the difference of the totals by the difference in events, so start-up, module
 * loading and JIT warm-up cancel out.
 *
 *   tsx bench/conversation-callgrind.ts [--impl fast,sdk] [--streams 20] [--rounds 200,700]
 *   tsx bench/conversation-callgrind.ts --side response [--events 1000,4000]
 *
 * `--side response` counts AudioResponseEvents read instead (conversation-response-micro.ts).
 * Writes bench/results/conversation-callgrind-<date>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machine } from './lib/machine.js';

const { values } = parseArgs({
  options: {
    impl: { type: 'string', default: 'sdk,fast' },
    streams: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '200,700' },
    side: { type: 'string', default: 'request' },
    events: { type: 'string', default: '1000,4000' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const response = values.side === 'response';
const [lo, hi] = (response ? values.events! : values.rounds!).split(',').map(Number);
const streams = Number(values.streams);
const dir = mkdtempSync(join(tmpdir(), 'callgrind-'));

function instructions(impl: string, rounds: number): number {
  const file = join(dir, `${impl}-${rounds}.out`);
  execFileSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${file}`,
      process.execPath,
      '--import',
      'tsx',
      ...(response
        ? ['bench/conversation-response-micro.ts', '--impl', impl, '--streams', String(streams), '--events', String(rounds)]
        : ['bench/conversation-micro.ts', '--impl', impl, '--streams', String(streams), '--rounds', String(rounds), '--warmup', '100', '--gap-ms', '20']),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const m = /^summary: (\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`no callgrind summary in ${file}`);
  return Number(m[1]);
}

const rows: Record<string, unknown>[] = [];
for (const impl of values.impl!.split(',')) {
  const a = instructions(impl, lo);
  const b = instructions(impl, hi);
  const perEvent = Math.round((b - a) / ((hi - lo) * streams));
  rows.push({ side: response ? 'response' : 'request', impl, streams, [response ? 'eventsPerStream' : 'rounds']: `${lo},${hi}`, totalLo: a, totalHi: b, instructionsPerEvent: perEvent });
  console.log(`${impl}: ${perEvent} instructions per ${response ? 'response' : 'request'} event (${a} at ${lo}, ${b} at ${hi})`);
}
rmSync(dir, { recursive: true, force: true });
const m = machine();
mkdirSync(values.out!, { recursive: true });
const file = `${values.out}/conversation-callgrind-${String(m.date).slice(0, 19).replace(/[:T]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ machine: m, method: 'callgrind totals at two round counts; difference / events', rows }, null, 2) + '\n');
console.log(`wrote ${file}`);
