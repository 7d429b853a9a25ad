import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';

/** A child process whose listening URL was read from its output. */
export interface Child {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** Spawns `args` and resolves when a line matches `urlPattern` (capture 1 = URL). */
export function spawnService(cmd: string, args: string[], env: Record<string, string>, urlPattern: RegExp, label: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let errBuf = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start: ${errBuf.slice(-2000)}`)), 30_000);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = urlPattern.exec(buf);
      if (m) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        const out = label === 'connector' ? process.env.BENCH_CONNECTOR_OUT : undefined;
        if (out) proc.stdout!.pipe(createWriteStream(out));
        else proc.stdout!.resume();
        resolve({
          proc,
          url: m[1],
          stop: () =>
            new Promise((res) => {
              if (proc.exitCode !== null) return res();
              proc.once('exit', () => res());
              proc.kill('SIGTERM');
              setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (errBuf += d.toString()));
    proc.once('exit', (code) => reject(new Error(`${label} exited with ${code}: ${errBuf.slice(-2000)}`)));
  });
}

/** CPU time (user + system, ms) of a process from /proc. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 (1-based) of /proc/pid/stat, in clock ticks (100 Hz on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident set size of a process in KiB from /proc. */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** `pid` and every process descended from it (a cluster primary and its workers), from /proc. */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // ppid is field 4 (1-based), the second after the ')' that ends the command name.
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while the list was read.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** CPU time (ms) of `pid` and its descendants alive now. */
export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + safe(() => cpuMs(p)), 0);
}

/** Resident set size (KiB) of `pid` and its descendants alive now. */
export function treeRssKiB(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + safe(() => rssKiB(p)), 0);
}

function safe(read: () => number): number {
  try {
    const v = read();
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}
