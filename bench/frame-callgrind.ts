/**
 * Instructions per call-second of the connector's own per-frame work (`frame-micro.ts`),
 * counted by callgrind: the micro-benchmark runs, compiled to JavaScript, at two lengths
 * (`--seconds lo,hi`) and the difference of the totals is divided by the call-seconds
 * between them, so start-up, module loading and JIT warm-up cancel out. `--repeat` runs
 * the pair again to show the spread. `--label` names the code measured in the result.
 *
 *   tsx bench/frame-callgrind.ts [--calls 50] [--seconds 10,40] [--repeat 2] [--label before]
 *
 * Writes bench/results/frame-callgrind-<date>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { callgrind, compileBench, PREDICTABLE } from './lib/callgrind.js';
import { machine } from './lib/machine.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10,40' },
    repeat: { type: 'string', default: '2' },
    label: { type: 'string', default: '' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const calls = Number(values.calls);
const [lo, hi] = values.seconds!.split(',').map(Number);
const m = machine();
const js = compileBench();
const dir = mkdtempSync(join(tmpdir(), 'frame-callgrind-'));
const runs: Record<string, unknown>[] = [];
for (let r = 0; r < Number(values.repeat); r++) {
  const run = (seconds: number) => {
    const { instructions, stdout } = callgrind([...PREDICTABLE, `${js}/bench/frame-micro.js`, '--calls', String(calls), '--seconds', String(seconds)], join(dir, `${r}-${seconds}.out`));
    return { instructions, work: JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number> };
  };
  const a = run(lo);
  const b = run(hi);
  const perCallSecond = Math.round((b.instructions - a.instructions) / (calls * (hi - lo)));
  runs.push({ totalLo: a.instructions, totalHi: b.instructions, instructionsPerCallSecond: perCallSecond, workLo: a.work, workHi: b.work });
  console.log(`run ${r + 1}: ${perCallSecond} instructions per call-second (${a.instructions} at ${lo} s, ${b.instructions} at ${hi} s)`);
}
rmSync(dir, { recursive: true, force: true });
const per = runs.map((r) => r.instructionsPerCallSecond as number);
const result = {
  machine: m,
  label: values.label,
  method: `callgrind totals of frame-micro.js (${PREDICTABLE.join(' ')}) at ${lo} and ${hi} s of ${calls} calls; difference / call-seconds`,
  calls,
  seconds: [lo, hi],
  instructionsPerCallSecond: Math.round(per.reduce((s, x) => s + x, 0) / per.length),
  spread: [Math.min(...per), Math.max(...per)],
  runs,
};
mkdirSync(values.out!, { recursive: true });
const file = `${values.out}/frame-callgrind-${String(m.date).slice(0, 19).replace(/[:T]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.log(`mean ${result.instructionsPerCallSecond} (spread ${result.spread.join('–')}); wrote ${file}`);
