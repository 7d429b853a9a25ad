import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machine, table } from '../lib/machine.js';
import { pct } from '../lib/stats.js';
import { buildCorpus, describeCorpus, type CorpusCall, type CorpusSpec, type NoiseClip } from './corpus.js';
import { candidates, type Candidate } from './candidates.js';
import { detect, score, sum, SEGMENT, type Scored } from './evaluate.js';
import { espeakPackage } from './espeak.js';
import { COST_SUBJECTS, cpuPerFrame, instructionsPerFrame } from './cost.js';

/** Options of `npm run bench -- --vad`. */
export interface VadBenchOptions {
  /** A smaller corpus (2 of the 6 callers, 1 min of each noise instead of 5) for a quick look. */
  quick: boolean;
  /** Only candidates whose name contains this. */
  only?: string;
  /** Also count instructions per frame under callgrind (slow: minutes per subject). */
  callgrind: boolean;
  cacheDir: string;
}

const USAGE = `npm run bench -- --vad [--quick] [--only TEXT] [--callgrind] [--out DIR]
  Segmentation benchmark on a generated noisy corpus (eSpeak-NG WASM speech + noise); see BENCHMARKS.md.
  --quick      2 of the 6 callers and 1 min of each noise-only clip
  --only TEXT  only candidates whose name contains TEXT
  --callgrind  also count instructions per frame with valgrind (load-independent; slow)`;

/** \`npm run bench -- --vad ...\`: parses its own options, runs, writes the results. */
export async function runVadCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      vad: { type: 'boolean' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      callgrind: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const m = machine();
  console.log(`machine: ${m.cpu} x${m.cores}, ${m.memGiB} GiB, node ${m.node}, ${m.platform}`);
  mkdirSync(values.out!, { recursive: true });
  const stamp = String(m.date).slice(0, 19).replace(/[:T]/g, '-');
  await runVad({ quick: values.quick!, only: values.only, callgrind: values.callgrind!, cacheDir: 'bench/.cache/vad' }, values.out!, stamp, m);
}

/** Cost per 20 ms frame of each scorer and of the segmenters behind fvad. */
async function costs(callgrind: boolean): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const subject of COST_SUBJECTS) {
    for (const rateHz of [8000, 16000]) {
      const heavy = subject === 'rnnoise' || subject === 'silero';
      const row: Record<string, unknown> = { subject, rateHz, 'CPU us/frame': await cpuPerFrame(subject, rateHz, heavy ? 2000 : 50000) };
      if (callgrind && !heavy) row['instructions/frame'] = instructionsPerFrame(subject, rateHz, 3000) ?? 'valgrind missing';
      rows.push(row);
    }
  }
  return rows;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Aggregate figures of one candidate over a set of calls. */
function figures(s: Scored): Record<string, number> {
  const pre = s.preRollMs;
  return {
    turns: s.turns,
    clipped: pre.filter((p) => !(p >= 200)).length,
    missed: s.missed,
    preRollMinMs: r1(Math.min(...pre.map((p) => (Number.isNaN(p) ? -Infinity : p)))),
    preRollP50Ms: r1(
      pct(
        pre.filter((p) => !Number.isNaN(p)),
        50,
      ),
    ),
    endLagP50Ms: r1(pct(s.endLagMs, 50)),
    endLagP99Ms: r1(pct(s.endLagMs, 99)),
    endLagMaxMs: r1(s.endLagMs.length ? Math.max(...s.endLagMs) : NaN),
    maxCuts: s.maxCuts,
    endCut: s.endCut,
    split: s.split,
    merged: s.merged,
    falseStarts: s.falseStarts,
  };
}

async function runCandidate(c: Candidate, calls: CorpusCall[], noise: NoiseClip[]): Promise<Record<string, unknown>> {
  const perCall: { call: CorpusCall; s: Scored }[] = [];
  const fa: Record<string, { starts: number; minutes: number }> = {};
  let frames = 0;
  let audioS = 0;
  const cpu0 = process.cpuUsage();
  for (const call of calls) {
    const e = await c.make(call.rateHz);
    const r = await detect(call.pcm, call.rateHz, e.decide, e.seg);
    e.close();
    frames += r.frames;
    audioS += call.pcm.length / call.rateHz;
    perCall.push({ call, s: score(call, r.detected) });
  }
  for (const clip of noise) {
    const e = await c.make(clip.rateHz);
    const r = await detect(clip.pcm, clip.rateHz, e.decide, e.seg);
    e.close();
    frames += r.frames;
    audioS += clip.pcm.length / clip.rateHz;
    const k = `${clip.noise} ${clip.levelDbfs} dBFS`;
    fa[k] ??= { starts: 0, minutes: 0 };
    fa[k].starts += r.detected.length;
    fa[k].minutes += clip.pcm.length / clip.rateHz / 60;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const group = (key: (call: CorpusCall) => string | undefined) => {
    const m = new Map<string, Scored[]>();
    for (const { call, s } of perCall) {
      const k = key(call);
      if (k !== undefined) m.set(k, [...(m.get(k) ?? []), s]);
    }
    return Object.fromEntries([...m].map(([k, v]) => [k, figures(sum(v))]));
  };
  const firstTurns = sum(
    perCall.map(({ s }) => ({
      ...s,
      preRollMs: s.preRollMs.slice(0, 1),
      endLagMs: [],
      turns: 1,
      missed: Number.isNaN(s.preRollMs[0]) ? 1 : 0,
      split: 0,
      merged: 0,
      falseStarts: 0,
      maxCuts: 0,
      endCut: 0,
    })),
  );
  return {
    name: c.name,
    engine: c.engine,
    gate: c.gate,
    bySnr: group((call) => `${call.snrDb} dB`),
    // The subset the heavy candidates run on, for a like-for-like comparison.
    bySnrCallers01: group((call) => (/-c[01]$/.test(call.id) ? `${call.snrDb} dB` : undefined)),
    byNoiseSnr: group((call) => `${call.noise} ${call.snrDb} dB`),
    byRate: group((call) => `${call.rateHz} Hz`),
    firstTurnsClipped: firstTurns.preRollMs.filter((p) => !(p >= 200)).length,
    falseStartsPerMinute: Object.fromEntries(Object.entries(fa).map(([k, v]) => [k, r1((v.starts / v.minutes) * 100) / 100])),
    cpuMsPerCallSecond: Math.round((cpuMs / audioS) * 1000) / 1000,
    cpuUsPerFrame: r1((cpuMs * 1000) / frames),
    frames,
  };
}

/** Builds the corpus, measures every candidate, prints tables and writes `bench/results/vad-*.json`. */
export async function runVad(opts: VadBenchOptions, out: string, stamp: string, machine: Record<string, unknown>): Promise<void> {
  const spec: CorpusSpec = {
    rates: [8000, 16000],
    noises: ['white', 'pink', 'babble', 'telephone', 'mulaw'],
    snrsDb: [30, 20, 10, 5],
    noiseOnlyMinutes: opts.quick ? 1 : 5,
    noiseOnlyDbfs: -40,
    callers: opts.quick ? 2 : 6,
    cacheDir: opts.cacheDir,
  };
  const t0 = performance.now();
  const corpus = await buildCorpus(spec);
  const speechS = corpus.calls.reduce((n, c) => n + c.pcm.length / c.rateHz, 0);
  console.log(
    `\nVAD corpus: ${corpus.calls.length} calls (${Math.round(speechS / 60)} min, ${corpus.calls.reduce((n, c) => n + c.utterances.length, 0)} turns) + ${corpus.noiseOnly.length} noise-only clips (${spec.noiseOnlyMinutes} min each), built in ${Math.round(performance.now() - t0)} ms with ${espeakPackage()}`,
  );
  // Heavy candidates: the callers of the first two voices at 16 and 8 kHz, and 1 min of each noise.
  const heavyCalls = corpus.calls.filter((c) => /-c[01]$/.test(c.id));
  const heavyNoise = corpus.noiseOnly.map((n) => ({ ...n, pcm: n.pcm.subarray(0, 60 * n.rateHz) }));
  const results: Record<string, unknown>[] = [];
  for (const c of candidates().filter((x) => !opts.only || x.name.includes(opts.only))) {
    const t = performance.now();
    const r = await runCandidate(c, c.heavy ? heavyCalls : corpus.calls, c.heavy ? heavyNoise : corpus.noiseOnly);
    r.subset = c.heavy ? 'callers 0-1, 1 min of each noise' : 'full';
    results.push(r);
    console.log(`  ${c.name}: ${Math.round(performance.now() - t)} ms`);
  }
  printSummary(results);
  console.log('\nCost per 20 ms frame (process CPU after warm-up; instructions from callgrind when asked)');
  const cost = await costs(opts.callgrind);
  table(cost);
  const def = results.find((r) => String(r.name).includes('sensitivity 2'));
  const goals = def ? goalsOf(def, cost) : undefined;
  if (goals) {
    console.log(`\nGoals, default detector (${def!.name})`);
    table(Object.entries(goals).map(([goal, v]) => ({ goal, ...v })));
  }
  const file = `${out}/vad-${stamp}.json`;
  writeFileSync(file, JSON.stringify({ machine, segmenter: SEGMENT, corpus: { ...describeCorpus(spec), synthesizer: espeakPackage() }, goals, candidates: results, cost }, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

/** The goals, measured for one candidate. */
function goalsOf(r: Record<string, unknown>, cost: Record<string, unknown>[]): Record<string, { measured: string; met: boolean }> {
  const snr = r.bySnr as Record<string, Record<string, number>>;
  const ns = r.byNoiseSnr as Record<string, Record<string, number>>;
  const fa = r.falseStartsPerMinute as Record<string, number>;
  const clipped = ['30 dB', '20 dB', '10 dB'].map((k) => snr[k].clipped);
  const b20 = ns['babble 20 dB'];
  const sm = Object.values(snr).reduce((n, f) => n + f.split + f.merged, 0);
  const smAt10 = ['30 dB', '20 dB', '10 dB'].reduce((n, k) => n + snr[k].split + snr[k].merged, 0);
  const fvadCost = cost.filter((c) => c.subject === 'fvad+floor-segmenter').map((c) => Number(c['CPU us/frame']));
  const per5 = (k: string) => (fa[k] ?? NaN) * 5;
  return {
    'clipped onsets at SNR >= 10 dB = 0': { measured: `${clipped.join(' / ')} at 30 / 20 / 10 dB (of ${snr['10 dB'].turns} turns each)`, met: clipped.every((c) => c === 0) },
    'end lag p99 <= 60 ms at 20 dB': { measured: `${snr['20 dB'].endLagP99Ms} ms`, met: snr['20 dB'].endLagP99Ms <= 60 },
    'end lag p99 <= 120 ms at 10 dB': { measured: `${snr['10 dB'].endLagP99Ms} ms`, met: snr['10 dB'].endLagP99Ms <= 120 },
    'false starts <= 1 per 5 min (white, babble, -40 dBFS)': {
      measured: `white ${per5('white -40 dBFS')}, babble ${per5('babble -40 dBFS')} per 5 min`,
      met: per5('white -40 dBFS') <= 1 && per5('babble -40 dBFS') <= 1,
    },
    'babble 20 dB under: own utterance per turn, end lag p99 <= 120 ms': {
      measured: `split ${b20.split}, merged ${b20.merged}, clip_max ${b20.maxCuts}, missed ${b20.missed}; lag p99 ${b20.endLagP99Ms} ms`,
      met: b20.split + b20.merged + b20.maxCuts + b20.missed === 0 && b20.endLagP99Ms <= 120,
    },
    'no split at 300 ms pause, no merge at 1 s gap': { measured: `${smAt10} at SNR >= 10 dB, ${sm} including 5 dB`, met: sm === 0 },
    'default detector <= 5 us CPU per 20 ms frame': { measured: `${fvadCost.join(' / ')} us (8 / 16 kHz)`, met: fvadCost.every((c) => c <= 5) },
  };
}

function printSummary(results: Record<string, unknown>[]): void {
  for (const snr of ['30 dB', '20 dB', '10 dB', '5 dB']) {
    console.log(`\nSNR ${snr} (all noise kinds, 8 + 16 kHz)`);
    table(
      results.map((r) => {
        const f = (r.bySnr as Record<string, Record<string, number>>)[snr];
        return {
          candidate: r.name,
          'clipped/turns': `${f.clipped}/${f.turns}`,
          'pre-roll min/p50': `${f.preRollMinMs}/${f.preRollP50Ms}`,
          'end lag p50/p99/max': `${f.endLagP50Ms}/${f.endLagP99Ms}/${f.endLagMaxMs}`,
          'clip_max cuts': f.maxCuts,
          'ended early': f.endCut,
          split: f.split,
          merged: f.merged,
          'false starts': f.falseStarts,
        };
      }),
    );
  }
  console.log('\nBabble 20 dB, noise-only false starts per minute, cost');
  table(
    results.map((r) => {
      const b = (r.byNoiseSnr as Record<string, Record<string, number>>)['babble 20 dB'];
      return {
        candidate: r.name,
        'babble20 clipped/split/merged/maxcuts': `${b.clipped}/${b.split}/${b.merged}/${b.maxCuts}`,
        'babble20 end lag p50/p99': `${b.endLagP50Ms}/${b.endLagP99Ms}`,
        'false starts/min': Object.entries(r.falseStartsPerMinute as Record<string, number>)
          .map(([k, v]) => `${k.split(' ')[0]} ${v}`)
          .join(', '),
        'first turns clipped': r.firstTurnsClipped,
        'CPU ms/call-s': r.cpuMsPerCallSecond,
        'CPU us/frame': r.cpuUsPerFrame,
      };
    }),
  );
}
