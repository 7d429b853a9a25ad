import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VadFactory } from '../../src/audio/vad.js';
import { Segmenter } from '../../src/audio/segmenter.js';
import { addInto, dbfsToRms, toPcm16, whiteNoise } from '../../src/audio/noise.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { BaselineSegmenter } from './baseline-segmenter.js';
import { SEGMENT } from './evaluate.js';
import { rnnoiseScorer, sileroScorer } from './scorers.js';

/** What a cost measurement runs per 20 ms frame. */
export const COST_SUBJECTS = ['fvad', 'fvad+peak-segmenter', 'fvad+floor-segmenter', 'rnnoise', 'silero'] as const;
export type CostSubject = (typeof COST_SUBJECTS)[number];

/** 10 s of speech-like audio in noise at `rateHz`, as 20 ms frames (copied: frames are kept by the segmenter). */
function frames(rateHz: number): Int16Array[] {
  const speech = synthesize('the quick brown fox jumps over the lazy dog and then some more words follow here', rateHz);
  const x = new Float64Array(10 * rateHz);
  addInto(x, whiteNoise(x.length, 5), dbfsToRms(-45));
  for (let at = 0; at + speech.length < x.length; at += speech.length + rateHz) addInto(x, speech, 1, at);
  const pcm = toPcm16(x);
  const fs = rateHz / 50;
  const out: Int16Array[] = [];
  for (let o = 0; o + fs <= pcm.length; o += fs) out.push(pcm.slice(o, o + fs));
  return out;
}

/** Processes `n` frames with `subject`; returns nothing (the caller measures). */
export async function runFrames(subject: CostSubject, rateHz: number, n: number): Promise<void> {
  const fr = frames(rateHz);
  if (subject === 'rnnoise' || subject === 'silero') {
    const s = subject === 'rnnoise' ? await rnnoiseScorer(rateHz) : await sileroScorer(rateHz);
    for (let k = 0; k < n; k++) await s.probability(fr[k % fr.length]);
    return s.close();
  }
  const vad = (await VadFactory.load('fvad-wasm')).create(2, rateHz);
  const seg = subject === 'fvad+floor-segmenter' ? new Segmenter(SEGMENT) : subject === 'fvad+peak-segmenter' ? new BaselineSegmenter(SEGMENT) : undefined;
  for (let k = 0; k < n; k++) {
    const f = fr[k % fr.length];
    vad.score(f, (speech) => seg?.push(f, speech));
  }
  vad.close();
}

/** Process CPU (user + system) µs per frame, after a warm-up; `n` frames. */
export async function cpuPerFrame(subject: CostSubject, rateHz: number, n: number): Promise<number> {
  await runFrames(subject, rateHz, Math.min(2000, n));
  const c0 = process.cpuUsage();
  await runFrames(subject, rateHz, n);
  const c = process.cpuUsage(c0);
  return Math.round(((c.user + c.system) / n) * 100) / 100;
}

/**
 * Instructions per frame under callgrind (not skewed by other load on the machine): two
 * runs with `n` and `2n` frames; the difference divided by `n` leaves out start-up. When V8
 * re-tiers hot code in one run and not the other, the figure is off by tens of percent.
 * Returns undefined when valgrind is not installed.
 */
export function instructionsPerFrame(subject: CostSubject, rateHz: number, n: number): number | undefined {
  const run = (frames: number): number | undefined => {
    // --single-threaded: no concurrent JIT or GC threads. Repeats of one measurement agree within
    // ~1 %, but JIT tiering still moves the difference between subjects (docs/audio.md).
    const r = spawnSync(
      'valgrind',
      ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', '--import', 'tsx', fileURLToPath(import.meta.url), subject, String(rateHz), String(frames)],
      { encoding: 'utf8' },
    );
    const m = /Collected : (\d+)/.exec(r.stderr ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const a = run(n);
  const b = run(2 * n);
  return a === undefined || b === undefined ? undefined : Math.round((b - a) / n);
}

// Worker entry for callgrind: `node --import tsx bench/vad/cost.ts SUBJECT RATE FRAMES`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [subject, rate, n] = process.argv.slice(2);
  await runFrames(subject as CostSubject, Number(rate), Number(n));
}
