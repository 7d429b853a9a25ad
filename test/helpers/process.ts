import { spawn, type ChildProcess } from 'node:child_process';

/** The real process entry (src/main.ts), started as users start it, with its stdout lines collected. */
export interface ConnectorProcess {
  proc: ChildProcess;
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  /** Every stdout line so far (JSON log lines). */
  lines: string[];
  /** Resolves with the exit code. */
  exit: Promise<number | null>;
  stderr(): string;
}

/** Starts src/main.ts with `env` on 127.0.0.1:0 and resolves once it listens. */
export function startProcess(env: Record<string, string>): Promise<ConnectorProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const lines: string[] = [];
    let partial = '';
    let err = '';
    let listening = false;
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
      const line = listening ? undefined : parts.find((l) => l.includes('"msg":"lex connector listening"'));
      const m = line ? /"port":(\d+)/.exec(line) : null;
      if (m) {
        listening = true;
        resolve({ proc, host: `127.0.0.1:${m[1]}`, port: Number(m[1]), lines, exit, stderr: () => err });
      }
    });
    proc.once('exit', (code) => {
      if (!listening) reject(new Error(`exited early (${code}): ${lines.join('\n')}\n${err}`));
    });
  });
}
