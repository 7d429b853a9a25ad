import { spawnService, rssKiB, type Child } from './lib/procs.js';
import { summary } from './lib/stats.js';
import { drive, openCalls, turnCycleMs, type LoadOptions } from './load.js';

/** The floor server measured under the same profile as the connector (all times ms). */
export interface FloorResult {
  calls: number;
  durationS: number;
  cpuMsPerCallSecond: number;
  rssKiBPerCall: number;
  eventLoopDelayP99Ms: number;
  /** Send-to-echo time of each frame. */
  echoMs: ReturnType<typeof summary>;
  /** Inter-arrival deviation from 20 ms of echoed frames. */
  jitterMs: { p50: number; p99: number };
  framesSent: number;
  /** Frames sent that never came back (counted after a short drain). */
  framesLost: number;
  generator: { latenessMs: ReturnType<typeof summary>; cpuShare?: number };
  unexpectedCloses: number;
  pinned: boolean;
}

/**
 * Starts `bench/floor-server.ts` on the connector's core (taskset, as the connector) with
 * the connector's environment, so it loads the same VAD engine.
 */
export async function startFloor(pinCore: number | undefined, env: Record<string, string>): Promise<Child & { pinned: boolean }> {
  const pinned = pinCore !== undefined;
  // BENCH_FLOOR_CPU_PROF=dir writes a V8 CPU profile of the floor there (as BENCH_CPU_PROF for the connector).
  const prof = process.env.BENCH_FLOOR_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_FLOOR_CPU_PROF}`] : [];
  const node = [process.execPath, ...prof, '--import', 'tsx', 'bench/floor-server.ts'];
  const cmd = pinned ? 'taskset' : node[0];
  const args = pinned ? ['-c', String(pinCore), ...node] : node.slice(1);
  const floor = await spawnService(cmd, args, { ...env, PORT: '0', HOST: '127.0.0.1' }, /"port":(\d+)/, 'floor');
  floor.url = `http://127.0.0.1:${floor.url}`;
  return Object.assign(floor, { pinned });
}

/**
 * Runs the profile `o` against the floor: the same callers, audio script, turn-cycle
 * silence and real-time generator as `runLoad`, every frame echoed back.
 */
export async function runFloor(o: LoadOptions, floor: Child & { pinned: boolean }): Promise<FloorResult> {
  const wsBase = floor.url.replace('http', 'ws');
  const rssBaseline = rssKiB(floor.proc.pid!);
  const calls = await openCalls(o, (i) => `${wsBase}/floor/${i}`);
  // The connector's callers stay silent while the reply plays: the floor's do the same.
  for (const c of calls) c.measureEcho(turnCycleMs(o) - 1800);
  const d = await drive(o, calls, floor, rssBaseline, () => {
    for (const c of calls) c.resetEchoSamples();
  });
  await new Promise((r) => setTimeout(r, 500)); // echoes still in flight
  const echo = calls.map((c) => c.echo!);
  for (const c of calls) c.close();
  const sent = echo.reduce((n, e) => n + e.sent, 0);
  const jitter = summary(echo.flatMap((e) => e.jitterMs));
  return {
    calls: o.calls,
    durationS: o.durationS,
    cpuMsPerCallSecond: Math.round((d.cpuMs / (o.calls * o.durationS)) * 1000) / 1000,
    rssKiBPerCall: Math.round((d.rssKiB - rssBaseline) / o.calls),
    eventLoopDelayP99Ms: Math.round(d.loopP99Ms * 10) / 10,
    echoMs: summary(echo.flatMap((e) => e.latencyMs)),
    jitterMs: { p50: jitter.p50, p99: jitter.p99 },
    framesSent: sent,
    framesLost: sent - echo.reduce((n, e) => n + e.received, 0),
    generator: { latenessMs: summary(d.lateness), cpuShare: d.generatorCpuShare },
    unexpectedCloses: calls.filter((c) => c.closedCode !== undefined && c.closedCode !== 1000).length,
    pinned: floor.pinned,
  };
}

/** The floor's SLO for `--find-max`, the connector's in echo terms: echo p99 ≤ 50 ms, jitter p99 ≤ 20 ms, nothing lost. */
export function floorMeetsSlo(r: FloorResult): boolean {
  return r.echoMs.p99 <= 50 && r.jitterMs.p99 <= 20 && r.framesLost === 0 && r.unexpectedCloses === 0 && r.framesSent > 0;
}
