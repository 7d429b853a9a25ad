import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machine, table } from './lib/machine.js';
import { runMicro } from './micro.js';
import { meetsSlo, runLoad, startServices, type LoadOptions, type LoadResult } from './load.js';
import { floorMeetsSlo, runFloor, startFloor, type FloorResult } from './floor.js';
import { runVadCli } from './vad/run-vad.js';

const USAGE = `npm run bench -- [options]
  (default)          micro-benchmarks, then 200 calls (50% 16 kHz) for 60 s on the v2 route
  --micro            micro-benchmarks only
  --smoke            20 calls for 20 s, no micro; exits 1 on any lost frame or failed turn
  --find-max         ramp the number of calls until the SLO breaks; report calls per connector core
                     (and the floor's maximum on the same core)
  --no-micro         skip the micro-benchmarks of the default profile
  --no-floor         skip the floor baseline (bench/floor-server.ts) that every load run is compared with
  --vad              utterance detection on a generated noisy corpus (--vad --help for its options)
  --calls N --duration S --mix16k F --route v1|v2|conversation --delay MS --reply-ms MS --no-pin
  --workers N        the connector with WORKERS=N (N > 1: not pinned, no floor; CPU and RSS summed over its processes)`;

function row(r: LoadResult): Record<string, unknown> {
  return {
    calls: r.profile.calls,
    route: r.profile.route,
    turns: r.turns,
    failed: r.failedTurns,
    'overhead p50/p95/p99/max ms': `${r.turnOverheadMs.p50}/${r.turnOverheadMs.p95}/${r.turnOverheadMs.p99}/${r.turnOverheadMs.max}`,
    'jitter p50/p99 ms': `${r.jitterMs.p50}/${r.jitterMs.p99}`,
    underruns: r.underruns,
    'lost/dup': `${r.framesLost}/${r.framesDuplicated}`,
    'cpu ms/call-s': r.connector.cpuMsPerCallSecond,
    'rss KiB/call': r.connector.rssKiBPerCall,
    'loop p99 ms': r.connector.eventLoopDelayP99Ms,
    'gen late p50/p99/max ms': `${r.generator.latenessMs.p50}/${r.generator.latenessMs.p99}/${r.generator.latenessMs.max}`,
    'gen/emu cpu': `${r.generator.cpuShare}/${r.generator.emulatorCpuShare}`,
    SLO: meetsSlo(r) ? 'met' : 'broken',
    ...(r.floor ? { 'floor cpu': r.floor.cpuMsPerCallSecond, 'x floor': r.cpuRatioToFloor } : {}),
  };
}

function floorRow(f: FloorResult): Record<string, unknown> {
  return {
    calls: f.calls,
    server: 'floor',
    'echo p50/p95/p99/max ms': `${f.echoMs.p50}/${f.echoMs.p95}/${f.echoMs.p99}/${f.echoMs.max}`,
    'jitter p50/p99 ms': `${f.jitterMs.p50}/${f.jitterMs.p99}`,
    'lost/sent': `${f.framesLost}/${f.framesSent}`,
    'cpu ms/call-s': f.cpuMsPerCallSecond,
    'rss KiB/call': f.rssKiBPerCall,
    'loop p99 ms': f.eventLoopDelayP99Ms,
    'gen late p50/p99/max ms': `${f.generator.latenessMs.p50}/${f.generator.latenessMs.p99}/${f.generator.latenessMs.max}`,
    'gen cpu': f.generator.cpuShare,
    SLO: floorMeetsSlo(f) ? 'met' : 'broken',
  };
}

/** Attaches the floor run to the connector run of the same profile. */
function withFloor(r: LoadResult, f: FloorResult): LoadResult {
  return { ...r, floor: f, cpuRatioToFloor: Math.round((r.connector.cpuMsPerCallSecond / f.cpuMsPerCallSecond) * 100) / 100 };
}

async function main(): Promise<void> {
  if (process.argv.includes('--vad')) return runVadCli(process.argv.slice(2));
  const { values } = parseArgs({
    options: {
      micro: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      'find-max': { type: 'boolean', default: false },
      calls: { type: 'string' },
      duration: { type: 'string' },
      mix16k: { type: 'string', default: '0.5' },
      route: { type: 'string', default: 'v2' },
      delay: { type: 'string', default: '150' },
      'reply-ms': { type: 'string', default: '2000' },
      'no-pin': { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
      'no-floor': { type: 'boolean', default: false },
      'no-micro': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const m = machine();
  const stamp = String(m.date).slice(0, 19).replace(/[:T]/g, '-');
  mkdirSync(values.out!, { recursive: true });
  console.log(`machine: ${m.cpu} x${m.cores}, ${m.memGiB} GiB, node ${m.node}, ${m.platform}`);
  const result: Record<string, unknown> = { machine: m };
  if (!values.smoke && !values['no-micro']) {
    result.micro = await runMicro();
    if (values.micro) {
      writeFileSync(`${values.out}/micro-${stamp}.json`, JSON.stringify(result, null, 2) + '\n');
      return console.log(`\nwrote ${values.out}/micro-${stamp}.json`);
    }
  }
  const cores = m.cores as number;
  const base: LoadOptions = {
    calls: Number(values.calls ?? (values.smoke ? 20 : 200)),
    durationS: Number(values.duration ?? (values.smoke ? 20 : 60)),
    mix16k: Number(values.mix16k),
    route: values.route as LoadOptions['route'],
    emulatorDelayMs: Number(values.delay),
    replyMs: Number(values['reply-ms']),
    // Several workers use every core: nothing is pinned (and the floor, one process, is not run).
    pinCore: values['no-pin'] || cores < 2 || Number(values.workers) > 1 ? undefined : cores - 1,
    workers: Number(values.workers),
    warmupS: values.smoke ? 5 : 10,
  };
  const services = await startServices(base);
  // The floor runs on the connector's core, idle while the connector is measured and vice versa.
  const floor = values['no-floor'] || Number(values.workers) > 1 ? undefined : await startFloor(base.pinCore, { LOG_LEVEL: 'info', NODE_ENV: 'production' });
  const pause = () => new Promise((res) => setTimeout(res, 2000));
  try {
    const runs: LoadResult[] = [];
    if (values['find-max']) {
      let lastOk: LoadResult | undefined;
      let floorOk: FloorResult | undefined;
      let connectorBroke = false;
      let floorBroke = !floor;
      const floorRuns: FloorResult[] = [];
      for (const calls of [100, 200, 400, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000]) {
        if (connectorBroke && floorBroke) break;
        const step = { ...base, calls, durationS: Number(values.duration ?? 20), warmupS: 5 };
        let r: LoadResult | undefined;
        if (!connectorBroke) {
          console.log(`\nfind-max: ${calls} calls ...`);
          r = await runLoad(step, services);
          connectorBroke = !meetsSlo(r);
          if (!connectorBroke) lastOk = r;
          await pause();
        }
        if (floor && !floorBroke) {
          console.log(`find-max: floor, ${calls} calls ...`);
          const f = await runFloor(step, floor);
          floorBroke = !floorMeetsSlo(f);
          if (!floorBroke) floorOk = f;
          if (r) r = withFloor(r, f);
          else floorRuns.push(f);
          table([floorRow(f)]);
          await pause();
        }
        if (r) {
          runs.push(r);
          table([row(r)]);
        }
      }
      const max = lastOk?.profile.calls ?? 0;
      const floorMax = floorOk?.calls;
      result.findMax = {
        maxCallsWithinSlo: max,
        connectorCores: services.pinned ? 1 : cores,
        workers: base.workers,
        note: 'the step after the last one within the SLO broke it (see runs)',
        ...(floor ? { floorMaxCallsWithinSlo: floorMax ?? 0, maxCallsShareOfFloor: floorMax ? Math.round((max / floorMax) * 100) / 100 : null, floorOnlyRuns: floorRuns } : {}),
      };
      console.log(`\nmax calls within the SLO on ${services.pinned ? 'one connector core' : `${cores} cores`}: ${max}${floor ? `; floor: ${floorMax ?? 0}` : ''}`);
    } else {
      console.log(
        `\nload: ${base.calls} calls (${Math.round(base.mix16k * 100)}% 16 kHz), ${base.route}, ${base.durationS} s measured after ${base.warmupS} s warm-up; emulator delay ${base.emulatorDelayMs} ms, replies ${base.replyMs} ms; connector ${services.pinned ? `pinned to core ${base.pinCore}` : 'not pinned'}`,
      );
      let r = await runLoad(base, services);
      if (floor) {
        await pause();
        console.log(`floor: ${base.calls} calls, same profile ...`);
        const f = await runFloor(base, floor);
        table([floorRow(f)]);
        r = withFloor(r, f);
      }
      runs.push(r);
      table([row(r)]);
    }
    result.load = runs;
    const file = `${values.out}/${values.smoke ? 'smoke' : values['find-max'] ? 'find-max' : 'load'}-${stamp}.json`;
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nwrote ${file}`);
    if (values.smoke && runs.some((r) => r.framesLost > 0 || r.failedTurns > 0 || r.turns === 0 || r.unexpectedCloses > 0)) {
      console.error('smoke: FAILED (lost frames, failed turns or unexpected closes)');
      process.exitCode = 1;
    }
  } finally {
    await floor?.stop();
    await services.connector.stop();
    await services.emulator.stop();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
