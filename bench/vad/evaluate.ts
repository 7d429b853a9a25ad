import { frameSamples } from '../../src/audio/pcm.js';
import type { SegmentEvent } from '../../src/audio/segmenter.js';
import type { CorpusCall, TruthUtterance } from './corpus.js';

/** The connector's defaults (the original's NCCO meanings). */
export const SEGMENT = { silenceMs: 400, minSpeechMs: 200, maxUtteranceMs: 10000, preRollMs: 300 };

/** Per-frame speech decision of a candidate, in frame order (may be asynchronous). */
export type Decide = (frame: Int16Array) => boolean | Promise<boolean>;

/** Something with the segmenter's `push`. */
export interface FramePusher {
  push(frame: Int16Array, speech: boolean): SegmentEvent | undefined;
}

/** An utterance as the connector would send it, in samples of the call. */
export interface Detected {
  /** First sample sent to Lex (pre-roll included). */
  start: number;
  /** Sample position at which the end was decided (end of the deciding frame). */
  endAt: number;
  reason: 'silence' | 'max' | 'eof';
}

/** Runs one call through a decider and a segmenter; returns what was detected and the frames scored. */
export async function detect(pcm: Int16Array, rateHz: number, decide: Decide, seg: FramePusher): Promise<{ detected: Detected[]; frames: number }> {
  const fs = frameSamples(rateHz);
  const detected: Detected[] = [];
  let open: Detected | undefined;
  let frames = 0;
  for (let o = 0; o + fs <= pcm.length; o += fs) {
    const frame = pcm.slice(o, o + fs);
    const d = decide(frame);
    const speech = typeof d === 'boolean' ? d : await d;
    frames++;
    const ev = seg.push(frame, speech);
    if (ev?.type === 'start') {
      open = { start: o + fs - ev.frames.length * fs, endAt: -1, reason: 'eof' };
      detected.push(open);
    } else if (ev?.type === 'end' && open) {
      open.endAt = o + fs;
      open.reason = ev.reason;
      open = undefined;
    }
  }
  if (open) open.endAt = pcm.length;
  return { detected, frames };
}

/** Per-utterance outcome against the truth. */
export interface Scored {
  /** Pre-roll before the true onset, ms (negative: the onset was cut); NaN when missed. */
  preRollMs: number[];
  /** End decided this long after `offset + silence_time`, ms (turns that ended on silence). */
  endLagMs: number[];
  /** Turns ended only by clip_max. */
  maxCuts: number;
  /** Turns whose end was decided before the caller stopped (the rest of the turn is lost or split off). */
  endCut: number;
  missed: number;
  split: number;
  merged: number;
  /** Detections overlapping no caller turn. */
  falseStarts: number;
  turns: number;
}

function overlaps(d: Detected, u: TruthUtterance): boolean {
  return d.start < u.offset && d.endAt > u.onset;
}

/** Scores detections of one call against its truth. */
export function score(call: CorpusCall, detected: Detected[], silenceMs = SEGMENT.silenceMs): Scored {
  const ms = (samples: number) => (samples / call.rateHz) * 1000;
  const s: Scored = { preRollMs: [], endLagMs: [], maxCuts: 0, endCut: 0, missed: 0, split: 0, merged: 0, falseStarts: 0, turns: call.utterances.length };
  for (const u of call.utterances) {
    const hits = detected.filter((d) => overlaps(d, u));
    if (hits.length === 0) {
      s.missed++;
      s.preRollMs.push(NaN);
      continue;
    }
    if (hits.length > 1) s.split++;
    s.preRollMs.push(ms(u.onset - hits[0].start));
    const last = hits[hits.length - 1];
    // A detection that also covers the next turn has no end of its own for this turn.
    if (call.utterances.some((v) => v !== u && overlaps(last, v))) continue;
    if (last.reason === 'silence') s.endLagMs.push(ms(last.endAt - u.offset) - silenceMs);
    else s.maxCuts++;
    if (last.endAt < u.offset) s.endCut++;
  }
  for (const d of detected) {
    const n = call.utterances.filter((u) => overlaps(d, u)).length;
    if (n === 0) s.falseStarts++;
    if (n > 1) s.merged += n - 1;
  }
  return s;
}

/** Merges scored calls. */
export function sum(parts: Scored[]): Scored {
  const out: Scored = { preRollMs: [], endLagMs: [], maxCuts: 0, endCut: 0, missed: 0, split: 0, merged: 0, falseStarts: 0, turns: 0 };
  for (const p of parts) {
    out.preRollMs.push(...p.preRollMs);
    out.endLagMs.push(...p.endLagMs);
    for (const k of ['maxCuts', 'endCut', 'missed', 'split', 'merged', 'falseStarts', 'turns'] as const) out[k] += p[k];
  }
  return out;
}
