import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * V8 flags for repeatable instruction counts: compilation and GC on the main thread
 * (`--predictable`), fixed seeds for `Math.random` and hash tables.
 */
export const PREDICTABLE = ['--predictable', '--random-seed=1', '--hash-seed=1'];

/** Compiles src and bench with tsc into `outDir` (plain JavaScript: no loader hooks in the counts). */
export function compileBench(outDir = 'bench/.cache/js'): string {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', outDir], { stdio: 'inherit' });
  return outDir;
}

/** Runs `node <args>` under `valgrind --tool=callgrind` and returns the instruction total (and the program's stdout). */
export function callgrind(args: string[], outFile: string): { instructions: number; stdout: string } {
  const stdout = execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, process.execPath, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const m = /^summary: (\d+)/m.exec(readFileSync(outFile, 'utf8'));
  if (!m) throw new Error(`no callgrind summary in ${outFile}`);
  return { instructions: Number(m[1]), stdout };
}
