import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machine } from './lib/machine.js';
import { runMicro } from './micro.js';

/** `npm run bench [-- --micro]`: micro-benchmarks (and, without --micro, the load benchmark). */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { micro: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench/results' } }, strict: false });
  const m = machine();
  console.log(`machine: ${m.cpu} x${m.cores}, ${m.memGiB} GiB, node ${m.node}`);
  const micro = await runMicro();
  mkdirSync(String(values.out), { recursive: true });
  const file = `${values.out}/micro-${String(m.date).slice(0, 19).replace(/[:T]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ machine: m, micro }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
