import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { startProcess, type ConnectorProcess } from '../helpers/process.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, until } from '../helpers/stack.js';

// WORKERS=2 on the real process entry: a cluster primary with two workers behind one port, the
// embedded emulator once in the primary. Every wait is for an event or a log line, never a duration.
const TOKEN = 'cluster-metrics-token';
const CLUSTER_ENV = { WORKERS: '2', EMBEDDED_EMULATOR: 'true', LEX_ENDPOINT_URL: '', EMULATOR_VOICE: 'synthetic', METRICS_AUTH_TOKEN: TOKEN, DRAIN_TIMEOUT_MS: '1500' };
const SLOW = 60_000;

type LogLine = Record<string, unknown> & { msg: string };
const logs = (app: ConnectorProcess, msg: string, from = 0): LogLine[] =>
  app.lines
    .slice(from)
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.msg === msg);

/** One scrape of the main port's `/metrics` with the token (whichever worker answers it). */
async function scrape(app: ConnectorProcess): Promise<string> {
  const res = await fetch(`http://${app.host}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The sum of a metric's samples over all label sets (0 when it has none yet). */
function total(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

/** Connects a call (configured: it counts in lexconn_active_calls once the worker has its first message). */
const dial = (app: ConnectorProcess, sessionId: string) => VonagePhone.connect(`ws://${app.host}${ROUTES.v2(sessionId)}`, { rateHz: 16000, headers: demoHeaders() });

let app: ConnectorProcess;
let emulatorUrl: string;
let callsMade = 0;

beforeAll(async () => {
  app = await startCluster(CLUSTER_ENV);
  emulatorUrl = String(logs(app, 'embedded Lex emulator is the Lex back-end (set LEX_ENDPOINT_URL or EMBEDDED_EMULATOR=false for AWS)')[0]?.emulator);
}, SLOW);
afterAll(() => {
  if (app.proc.exitCode === null) app.proc.kill('SIGKILL');
});

/** A call with one turn: the embedded emulator recognises the scripted words and the reply starts playing; then the caller hangs up. */
async function call(sessionId: string): Promise<void> {
  const phone = await dial(app, sessionId);
  const scripted = await fetch(`${emulatorUrl}/_emulator/sessions/${sessionId}/script`, { method: 'POST', body: JSON.stringify({ transcripts: ['order flowers'] }) });
  expect(scripted.status).toBe(200);
  phone.sendAudio(utterance('order flowers', 16000, callsMade + 1));
  await phone.waitForFrames(25);
  phone.hangUp();
  expect((await phone.closed).code).toBe(1000);
  callsMade++;
}

/**
 * The real process with WORKERS=2, once both workers have said so too: each worker writes its own
 * "worker listening" line to the shared stdout, which may come after the primary's "listening".
 */
async function startCluster(env: Record<string, string>): Promise<ConnectorProcess> {
  const proc = await startProcess(env);
  await until(() => logs(proc, 'worker listening').length >= 2);
  return proc;
}

describe('WORKERS=2 (node:cluster, the real process)', () => {
  it('reports listening once both workers listen on the one port, with one embedded emulator', async () => {
    const primary = logs(app, 'lex connector listening');
    expect(primary).toHaveLength(1);
    expect(primary[0]).toMatchObject({ port: app.port, workers: 2, lex: emulatorUrl });
    const workers = logs(app, 'worker listening');
    expect(workers.map((w) => w.port)).toEqual([app.port, app.port]);
    expect(new Set(workers.map((w) => w.pid)).size).toBe(2);
    expect(workers.every((w) => w.pid !== app.proc.pid)).toBe(true);
    // The emulator runs once, in the primary; the workers use it.
    expect(logs(app, 'embedded Lex emulator is the Lex back-end (set LEX_ENDPOINT_URL or EMBEDDED_EMULATOR=false for AWS)')).toHaveLength(1);
    for (const path of ['/health', '/ready', '/health', '/ready']) expect((await fetch(`http://${app.host}${path}`)).status).toBe(200);
  });

  it(
    'serves calls on both workers',
    async () => {
      const from = app.lines.length;
      const servedBy = () => new Set(logs(app, 'call started', from).map((l) => l.pid));
      // Round-robin hands each new connection to the next worker; a few calls reach both.
      for (let i = 0; i < 8 && servedBy().size < 2; i += 2) await Promise.all([call(`cluster-b-${i}`), call(`cluster-b-${i + 1}`)]);
      expect(servedBy().size).toBe(2);
      expect([...servedBy()].every((pid) => logs(app, 'worker listening').some((w) => w.pid === pid))).toBe(true);
    },
    SLOW,
  );

  it('serves /metrics summed over the workers, behind METRICS_AUTH_TOKEN', async () => {
    expect((await fetch(`http://${app.host}/metrics`)).status).toBe(401);
    expect((await fetch(`http://${app.host}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    // Each calls_total of one worker is less than callsMade (both served some): the sum is served, whichever worker answers.
    for (let i = 0; i < 4; i++) {
      const text = await scrape(app);
      expect(total(text, 'lexconn_calls_total')).toBe(callsMade);
      expect(total(text, 'lexconn_call_closes_total')).toBe(callsMade);
      expect(total(text, 'lexconn_turns_total')).toBe(callsMade);
      expect(total(text, 'lexconn_workers')).toBe(2);
      expect(total(text, 'lexconn_worker_restarts_total')).toBe(0);
      expect(text.match(/^# TYPE lexconn_calls_total counter$/gm)).toHaveLength(1);
    }
  });

  it(
    'replaces a worker killed with SIGKILL, keeps serving, and counts the calls it had as lost',
    async () => {
      const from = app.lines.length;
      const phones = await Promise.all([0, 1, 2, 3].map((i) => dial(app, `cluster-e-${i}`)));
      await until(async () => total(await scrape(app), 'lexconn_active_calls') === 4);
      const byPid = new Map<unknown, number>();
      for (const l of logs(app, 'call started', from)) byPid.set(l.pid, (byPid.get(l.pid) ?? 0) + 1);
      const [victim, carried] = [...byPid].sort((a, b) => b[1] - a[1])[0];
      const closes: number[] = [];
      for (const p of phones) void p.closed.then(({ code }) => closes.push(code));
      process.kill(Number(victim), 'SIGKILL');

      await until(() => closes.length === carried);
      expect(closes).toEqual(Array(carried).fill(1006));
      await until(() => logs(app, 'worker replaced', from).length === 1);
      const died = logs(app, 'worker died: replacing it', from);
      expect(died).toHaveLength(1);
      expect(died[0]).toMatchObject({ pid: victim, signal: 'SIGKILL', lostCalls: carried });
      const text = await scrape(app);
      expect(total(text, 'lexconn_calls_lost_total')).toBe(carried);
      expect(total(text, 'lexconn_worker_restarts_total')).toBe(1);
      expect(total(text, 'lexconn_workers')).toBe(2);
      expect(total(text, 'lexconn_active_calls')).toBe(4 - carried);
      // The port still serves new calls, and the other worker's calls go on.
      await call('cluster-e-after');
      const survivors = phones.filter((p) => p.ws.readyState === p.ws.OPEN);
      expect(survivors).toHaveLength(4 - carried);
      for (const p of survivors) p.hangUp();
      for (const p of survivors) expect((await p.closed).code).toBe(1000);
    },
    SLOW,
  );

  it(
    'drains every worker on SIGTERM: calls in progress close with 1001, the primary exits 0',
    async () => {
      const from = app.lines.length;
      const phones: VonagePhone[] = [];
      const servedBy = () => new Set(logs(app, 'call started', from).map((l) => l.pid));
      for (let i = 0; i < 8 && (phones.length < 2 || servedBy().size < 2); i++) {
        phones.push(await dial(app, `cluster-d-${i}`));
        await until(() => logs(app, 'call started', from).length === phones.length);
      }
      expect(servedBy().size).toBe(2);
      app.proc.kill('SIGTERM');
      for (const p of phones) expect(await p.closed).toEqual({ code: 1001, reason: 'server shutting down' });
      expect(await app.exit).toBe(0);
      expect(new Set(logs(app, 'drained', from).map((l) => l.pid))).toEqual(servedBy());
      expect(logs(app, 'worker stopped', from)).toHaveLength(2);
      expect(logs(app, 'all workers stopped', from)).toEqual([expect.objectContaining({ exitCode: 0 })]);
    },
    SLOW,
  );
});

describe('WORKERS=2 with METRICS_PORT', () => {
  it(
    'serves the sum on the primary’s metrics port only, behind the token',
    async () => {
      const proc = await startCluster({ ...CLUSTER_ENV, METRICS_PORT: '0' });
      try {
        const port = logs(proc, 'lex connector listening')[0]?.metricsPort;
        expect(typeof port).toBe('number');
        const url = `http://127.0.0.1:${port}/metrics`;
        expect((await fetch(url)).status).toBe(401);
        const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(total(text, 'lexconn_workers')).toBe(2);
        expect(text).toMatch(/^# TYPE lexconn_active_calls gauge$/m);
        expect((await fetch(`http://${proc.host}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
        proc.proc.kill('SIGTERM');
        expect(await proc.exit).toBe(0);
      } finally {
        if (proc.proc.exitCode === null) proc.proc.kill('SIGKILL');
      }
    },
    SLOW,
  );
});

describe('WORKERS=2, a worker that does not drain', () => {
  it(
    'is killed after DRAIN_TIMEOUT_MS + CLOSE_TIMEOUT_MS + the margin, and the primary exits 1',
    async () => {
      const proc = await startCluster({ ...CLUSTER_ENV, DRAIN_TIMEOUT_MS: '0', CLOSE_TIMEOUT_MS: '100' });
      const [stuck, other] = logs(proc, 'worker listening').map((w) => Number(w.pid));
      try {
        // A stopped process reads no message: it cannot drain.
        process.kill(stuck, 'SIGSTOP');
        proc.proc.kill('SIGTERM');
        expect(await proc.exit).toBe(1);
        expect(logs(proc, 'worker did not drain in time: killing it')).toEqual([expect.objectContaining({ pid: stuck })]);
        expect(logs(proc, 'worker stopped')).toEqual([expect.objectContaining({ pid: other, code: 0 })]);
        expect(logs(proc, 'all workers stopped')).toEqual([expect.objectContaining({ exitCode: 1 })]);
      } finally {
        for (const pid of [stuck, proc.proc.pid]) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    },
    SLOW,
  );
});

/** The primary's child processes (its workers), from Linux's /proc. */
const childrenOf = (pid: number): number[] => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

/** Whether `pid` has exec'd as one of our workers (its environment carries the worker marker; before exec it is the primary's). */
function hasExecedWorker(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes('LEXCONN_CLUSTER_WORKER=1');
  } catch {
    return false;
  }
}

describe.skipIf(!existsSync('/proc/self/task'))('WORKERS=2, SIGTERM while a replacement worker starts', () => {
  it(
    'stops the starting worker without calling it a failed drain: it had no call, the primary exits 0',
    async () => {
      const proc = await startCluster(CLUSTER_ENV);
      const [victim, other] = logs(proc, 'worker listening').map((w) => Number(w.pid));
      let replacement = 0;
      try {
        process.kill(victim, 'SIGKILL');
        // The replacement once it runs the worker's own program: stopped between fork and exec, it
        // would hold the primary inside its synchronous spawn (libuv waits for the exec), signals unhandled.
        await until(() => {
          replacement = childrenOf(Number(proc.proc.pid)).find((pid) => pid !== victim && pid !== other && hasExecedWorker(pid)) ?? 0;
          return replacement !== 0;
        });
        // Held before it can listen; the primary's SIGTERM waits for it as a pending signal.
        process.kill(replacement, 'SIGSTOP');
        const from = proc.lines.length;
        proc.proc.kill('SIGTERM');
        await until(() => logs(proc, 'shutting down', from).some((l) => l.workers !== undefined));
        // Linux ends a stopped process at once on a fatal signal it has no handler for yet, so the
        // replacement may already be gone here; otherwise the SIGTERM waits for this.
        try {
          process.kill(replacement, 'SIGCONT');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        }
        expect(await proc.exit).toBe(0);
        expect(logs(proc, 'worker did not drain cleanly')).toEqual([]);
        expect(logs(proc, 'all workers stopped')).toEqual([expect.objectContaining({ exitCode: 0 })]);
      } finally {
        for (const pid of [replacement, other, proc.proc.pid]) {
          try {
            if (pid) process.kill(Number(pid), 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    },
    SLOW,
  );
});
