import { BenchCall, turnAudio, type TurnSample } from './load-caller.js';
import { execFileSync } from 'node:child_process';
import { cpuMs, spawnService, treeCpuMs, treeRssKiB, type Child } from './lib/procs.js';
import { pct, summary } from './lib/stats.js';
import { DEMO_KEY } from '../src/emulator/sigv4.js';
import type { FloorResult } from './floor.js';

/** A load profile. */
export interface LoadOptions {
  calls: number;
  durationS: number;
  /** Share of 16 kHz calls (the rest are 8 kHz). */
  mix16k: number;
  route: 'v1' | 'v2' | 'conversation';
  emulatorDelayMs: number;
  replyMs: number;
  /** Pin the connector to one CPU core with taskset (when available). */
  pinCore?: number;
  /** Seconds of ramp-up excluded from the measurements. */
  warmupS: number;
  /** The connector's WORKERS (default 1: one process); CPU and RSS are then summed over the primary and its workers. */
  workers?: number;
}

/** Everything measured in one run (all times in ms). */
export interface LoadResult {
  profile: LoadOptions;
  turns: number;
  failedTurns: number;
  turnOverheadMs: ReturnType<typeof summary>;
  jitterMs: { p50: number; p99: number };
  underruns: number;
  framesLost: number;
  framesDuplicated: number;
  connector: { cpuMsPerCallSecond: number; rssKiBPerCall: number; rssBaselineMiB: number; eventLoopDelayP99Ms: number; pinned: boolean };
  /** The generator's lateness, and the CPU (share of one core) of the generator and the emulator, which share the other core. */
  generator: { latenessMs: ReturnType<typeof summary>; cpuShare?: number; emulatorCpuShare?: number };
  unexpectedCloses: number;
  /** The floor measured in the same run with the same profile (bench/floor.ts), when run. */
  floor?: FloorResult;
  /** Connector CPU per call-second ÷ the floor's. */
  cpuRatioToFloor?: number;
}

const SILENCE_MS = 400;
const CONVERSATION_END_MS = 600;

/** The server's `nodejs_eventloop_lag_p99_seconds` in ms (reading it resets the histogram). */
export async function scrapeEventLoopP99(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : NaN;
}

/** Starts the emulator and the connector as child processes (the generator is this process). */
export async function startServices(o: LoadOptions): Promise<{ emulator: Child; connector: Child; pinned: boolean }> {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const tsx = ['--import', 'tsx'];
  const emulator = await spawnService(
    process.execPath,
    [...tsx, 'src/emulator/cli.ts', '--port', '0', '--delay', String(o.emulatorDelayMs), '--reply-ms', String(o.replyMs), '--heartbeat', '0', '--voice', 'synthetic'],
    { LOG_LEVEL: 'warn' },
    /listening on (http:\/\/[^\s]+)/,
    'emulator',
  );
  // info level: the 'listening' line carries the port (two more lines per call, as in production).
  const env: Record<string, string> = { HOST: '127.0.0.1', PORT: '0', LEX_ENDPOINT_URL: emulator.url, LOG_LEVEL: 'info', MAX_CALLS: '100000', NODE_ENV: 'production', WORKERS: String(o.workers ?? 1) };
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of the connector there (for finding hot spots).
  const prof = [
    ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    // BENCH_NODE_FLAGS: extra node flags for the connector (e.g. --trace-gc), output in BENCH_CONNECTOR_OUT.
    ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
  ];
  const pinned = o.pinCore !== undefined;
  const cmd = pinned ? 'taskset' : process.execPath;
  // The connector runs as in production: compiled JavaScript (npm run build), no loader hooks.
  const args = [...(pinned ? ['-c', String(o.pinCore), process.execPath] : []), ...prof, 'dist/main.js'];
  // The line that says the whole connector is ready (with WORKERS > 1 the primary's, after every worker's).
  const connector = await spawnService(cmd, args, env, /"port":(\d+)[^\n]*"msg":"lex connector listening"/, 'connector');
  connector.url = `http://127.0.0.1:${connector.url}`;
  return { emulator, connector, pinned };
}

/** The Vonage first-message headers of every benchmark call. */
export const CALL_HEADERS = { aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey, barge_in: false };

/** Opens `o.calls` callers (half 8 kHz, half 16 kHz per `o.mix16k`), first turns spread over one turn cycle. */
export async function openCalls(o: LoadOptions, url: (i: number) => string): Promise<BenchCall[]> {
  const scripts = new Map([8000, 16000].map((r) => [r, turnAudio(r)]));
  const calls: BenchCall[] = [];
  // Real callers are not synchronised: spread the first turns over one turn cycle
  // (1.8 s of speech + silence_time + Lex delay + the reply), interleaving 8 and 16 kHz.
  const cycleMs = turnCycleMs(o);
  for (let i = 0; i < o.calls; i++) {
    const rate = Math.floor((i + 1) * o.mix16k) > Math.floor(i * o.mix16k) ? 16000 : 8000;
    calls.push(await BenchCall.open(url(i), rate, CALL_HEADERS, scripts.get(rate)!, 5, 10_000, (i / o.calls) * cycleMs));
  }
  return calls;
}

/** One turn of a benchmark call: 1.8 s of script, silence_time, Lex delay and the reply, ms. */
export function turnCycleMs(o: LoadOptions): number {
  return 1800 + SILENCE_MS + o.emulatorDelayMs + o.replyMs;
}

/** What the real-time generator measured of one server process over the measured window. */
export interface Driven {
  lateness: number[];
  cpuMs: number;
  rssKiB: number;
  rssBaselineKiB: number;
  loopP99Ms: number;
  /** CPU of this process (the generator) over the window, as a share of one core. */
  generatorCpuShare: number;
  /** CPU of `peer` (the emulator) over the window, as a share of one core. */
  peerCpuShare?: number;
}

/**
 * The real-time generator: one frame per call per 20 ms deadline on the monotonic clock,
 * for the warm-up and then the measured window; the server's CPU time, RSS and event-loop
 * delay are read at the window's edges. `onMeasure` runs when the window opens.
 */
export async function drive(o: LoadOptions, calls: BenchCall[], server: Child, rssBaselineKiB: number, onMeasure: () => void, peer?: Child): Promise<Driven> {
  const pid = server.proc.pid!;
  const lateness: number[] = [];
  const t0 = performance.now();
  const warmupEnd = t0 + o.warmupS * 1000;
  const end = t0 + (o.warmupS + o.durationS) * 1000;
  let next = t0;
  let cpuStart = 0;
  let peerStart = 0;
  let genStart = process.cpuUsage();
  let windowStart = 0;
  let measuring = false;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      if (!measuring && now >= warmupEnd) {
        measuring = true;
        cpuStart = treeCpuMs(pid);
        if (peer) peerStart = cpuMs(peer.proc.pid!);
        genStart = process.cpuUsage();
        windowStart = now;
        onMeasure();
        void scrapeEventLoopP99(server.url); // resets the event-loop histogram
      }
      if (now >= end) return resolve();
      while (next <= now) {
        if (measuring) lateness.push(now - next);
        for (const c of calls) c.tick(now);
        next += 20;
      }
      setTimeout(tick, Math.max(0, next - performance.now()));
    };
    tick();
  });
  const cpuMsUsed = treeCpuMs(pid) - cpuStart;
  const windowMs = performance.now() - windowStart;
  const gen = process.cpuUsage(genStart);
  const share = (ms: number) => Math.round((ms / windowMs) * 100) / 100;
  const peerCpuShare = peer ? share(cpuMs(peer.proc.pid!) - peerStart) : undefined;
  const rss = treeRssKiB(pid);
  return { lateness, cpuMs: cpuMsUsed, rssKiB: rss, rssBaselineKiB, loopP99Ms: await scrapeEventLoopP99(server.url), generatorCpuShare: share((gen.user + gen.system) / 1000), peerCpuShare };
}

/** Runs `o.calls` simulated Vonage calls in real time against running services. */
export async function runLoad(o: LoadOptions, services: { connector: Child; emulator?: Child; pinned: boolean }): Promise<LoadResult> {
  const { connector } = services;
  const path =
    o.route === 'v1'
      ? '/bot/OrderFlowers/alias/%24LATEST/user/SESSION/content'
      : `/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/SESSION/${o.route === 'v2' ? 'utterance' : 'conversation'}`;
  const wsBase = connector.url.replace('http', 'ws');
  const rssBaseline = treeRssKiB(connector.proc.pid!);
  const calls = await openCalls(o, (i) => `${wsBase}${path.replace('SESSION', `bench-${process.pid}-${i}`)}`);
  let turnsAtStart: number[] = [];
  const d = await drive(o, calls, connector, rssBaseline, () => (turnsAtStart = calls.map((c) => c.turns.length)), services.emulator);
  const turns: TurnSample[] = calls.flatMap((c, i) => c.turns.slice(turnsAtStart[i]));
  for (const c of calls) c.close();
  const expectedFrames = o.replyMs / 20;
  const endMs = o.route === 'conversation' ? CONVERSATION_END_MS : SILENCE_MS;
  return {
    profile: o,
    turns: turns.length,
    failedTurns: calls.reduce((n, c) => n + c.failed, 0),
    turnOverheadMs: summary(turns.map((t) => t.gapMs - endMs - o.emulatorDelayMs)),
    jitterMs: {
      p50:
        Math.round(
          pct(
            turns.flatMap((t) => t.jitterMs),
            50,
          ) * 10,
        ) / 10,
      p99:
        Math.round(
          pct(
            turns.flatMap((t) => t.jitterMs),
            99,
          ) * 10,
        ) / 10,
    },
    underruns: turns.reduce((n, t) => n + t.underruns, 0),
    framesLost: turns.reduce((n, t) => n + Math.max(0, expectedFrames - t.frames), 0),
    framesDuplicated: turns.reduce((n, t) => n + Math.max(0, t.frames - expectedFrames), 0),
    connector: {
      cpuMsPerCallSecond: Math.round((d.cpuMs / (o.calls * o.durationS)) * 1000) / 1000,
      rssKiBPerCall: Math.round((d.rssKiB - rssBaseline) / o.calls),
      rssBaselineMiB: Math.round(rssBaseline / 1024),
      eventLoopDelayP99Ms: Math.round(d.loopP99Ms * 10) / 10,
      pinned: services.pinned,
    },
    generator: { latenessMs: summary(d.lateness), cpuShare: d.generatorCpuShare, emulatorCpuShare: d.peerCpuShare },
    unexpectedCloses: calls.filter((c) => c.closedCode !== undefined && c.closedCode !== 1000).length,
  };
}

/** The SLO of `--find-max` (issue: turn overhead p99 ≤ 50 ms, jitter p99 ≤ 20 ms, no lost frame). */
export function meetsSlo(r: LoadResult): boolean {
  return r.turnOverheadMs.p99 <= 50 && r.jitterMs.p99 <= 20 && r.framesLost === 0 && r.failedTurns === 0 && r.turns > 0;
}
