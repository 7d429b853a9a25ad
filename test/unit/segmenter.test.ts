import { describe, expect, it } from 'vitest';
import { Segmenter, type SegmentEvent } from '../../src/audio/segmenter.js';

const opts = { silenceMs: 100, minSpeechMs: 60, maxUtteranceMs: 400, preRollMs: 40 };

/** Runs a pattern of frames ('1' speech, '0' silence); frame i holds the value i. */
function run(pattern: string, o = opts): { events: SegmentEvent[]; sent: number[] } {
  const s = new Segmenter(o);
  const events: SegmentEvent[] = [];
  const sent: number[] = [];
  [...pattern].forEach((c, i) => {
    const ev = s.push(new Int16Array([i]), c === '1');
    if (!ev) return;
    events.push(ev);
    if (ev.type === 'start') sent.push(...ev.frames.map((f) => f[0]));
    if (ev.type === 'audio') sent.push(ev.frame[0]);
  });
  return { events, sent };
}

describe('Segmenter', () => {
  it('keeps pre-roll and inner pauses, and ends after the silence time', () => {
    // 4 silent, 3 speech, 2 pause, 2 speech, 6 silent (20 ms frames)
    const { events, sent } = run('0000111001100000' + '0');
    expect(events.map((e) => e.type)).toEqual(['start', ...Array(8).fill('audio'), 'end']);
    expect(sent[0]).toBe(2); // 40 ms of pre-roll before the onset at frame 4
    expect(sent).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'silence', speechMs: 140 });
  });

  it('discards a click shorter than the minimum speech', () => {
    expect(run('0010000000').events).toEqual([]);
  });

  it('cuts at the maximum length', () => {
    const { events } = run('1'.repeat(30));
    expect(events.find((e) => e.type === 'end')).toMatchObject({ reason: 'max' });
  });

  it('ends silence_time after the last voice frame, ignoring the VAD hangover, while clip_min counts up to 100 ms of hangover', () => {
    const seg = new Segmenter({ silenceMs: 100, minSpeechMs: 120, maxUtteranceMs: 4000, preRollMs: 0 });
    const loud = new Int16Array(160).fill(8000);
    const quiet = new Int16Array(160); // digital silence the VAD still calls speech (hangover)
    const events: string[] = [];
    const feed = (f: Int16Array, vad: boolean) => {
      const e = seg.push(f, vad);
      if (e && e.type !== 'audio') events.push(`${e.type}${e.type === 'end' ? `:${e.speechMs}` : ''}`);
    };
    const hiss = Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 30 : -30)); // -61 dBFS background
    for (let i = 0; i < 5; i++) feed(hiss, false);
    for (let i = 0; i < 4; i++) feed(loud, true); // 80 ms of speech
    for (let i = 0; i < 6; i++) feed(quiet, true); // 120 ms of hangover
    for (let i = 0; i < 10; i++) feed(quiet, false);
    // Confirmed by speech + hangover (>= 120 ms); ended on the 5th frame (100 ms) after the last
    // loud one, inside the hangover: the speech counted by then is 80 + 100 ms.
    expect(events).toEqual(['start', 'end:180']);
  });

  it('counts at most 100 ms of VAD speech after the voice towards clip_min (background talk does not confirm a click)', () => {
    const run = (minSpeechMs: number) => {
      const seg = new Segmenter({ silenceMs: 400, minSpeechMs, maxUtteranceMs: 4000, preRollMs: 0 });
      const hiss = Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 30 : -30));
      const loud = new Int16Array(160).fill(8000);
      const events: string[] = [];
      // background, a 60 ms click, then 600 ms the VAD calls speech at the background level
      for (let i = 0; i < 45; i++) {
        const e = seg.push(i >= 10 && i < 13 ? loud : hiss, i >= 10);
        if (e) events.push(e.type);
      }
      return events;
    };
    expect(run(180)).toEqual([]); // 60 ms + 100 ms < 180 ms
    expect(run(160)[0]).toBe('start');
  });
});

describe('Segmenter pre-roll after a discarded click', () => {
  it('keeps the frames before the next onset when a too-short candidate is dropped', () => {
    // A 1-frame click, 5 silent frames (100 ms: the click is dropped), 1 more silent, then speech.
    const { events, sent } = run('0100000' + '0' + '1111' + '00000' + '0');
    expect(events[0]).toMatchObject({ type: 'start' });
    // Onset at frame 8: the 40 ms pre-roll is frames 6 and 7, although the click was dropped at frame 6.
    expect(sent.slice(0, 3)).toEqual([6, 7, 8]);
  });
});
