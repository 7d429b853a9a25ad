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

  it('ends silence_time after the last loud frame, ignoring the VAD hangover, while clip_min still counts VAD speech', () => {
    const seg = new Segmenter({ silenceMs: 100, minSpeechMs: 120, maxUtteranceMs: 4000, preRollMs: 0 });
    const loud = new Int16Array(160).fill(8000);
    const quiet = new Int16Array(160); // digital silence the VAD still calls speech (hangover)
    const events: string[] = [];
    const feed = (f: Int16Array, vad: boolean) => {
      const e = seg.push(f, vad);
      if (e && e.type !== 'audio') events.push(`${e.type}${e.type === 'end' ? `:${e.speechMs}` : ''}`);
    };
    for (let i = 0; i < 4; i++) feed(loud, true); // 80 ms of speech
    for (let i = 0; i < 6; i++) feed(quiet, true); // 120 ms of hangover
    for (let i = 0; i < 10; i++) feed(quiet, false);
    // Confirmed by VAD speech (80 ms + hangover >= 120 ms); ended on the 5th frame (100 ms) after
    // the last loud one, inside the hangover: the VAD speech seen by then is 180 ms.
    expect(events).toEqual(['start', 'end:180']);
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
