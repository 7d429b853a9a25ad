import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { Pacer } from '../../src/audio/pacer.js';
import { PacerTick } from '../../src/audio/pacer-tick.js';

/** One call's pacer on a shared tick, with what it sent and when. */
function call(clock: ManualClock, tick: PacerTick, leadMs = 100, send?: (frame: Buffer) => boolean) {
  const sent: { at: number; frame: Buffer }[] = [];
  let drained = 0;
  let underruns = 0;
  const pacer = new Pacer({
    frameBytes: 320,
    leadMs,
    clock,
    tick,
    send: (frame) => {
      sent.push({ at: clock.now(), frame: Buffer.from(frame) });
      return send ? send(frame) : true;
    },
    onDrained: () => drained++,
    onUnderrun: () => underruns++,
  });
  return { pacer, sent, drained: () => drained, underruns: () => underruns };
}

/** Frames of distinct content, so order and identity can be checked. */
function numbered(frames: number, first = 0): Buffer {
  const b = Buffer.alloc(320 * frames);
  for (let i = 0; i < frames; i++) b.fill((first + i) % 251, i * 320, (i + 1) * 320);
  return b;
}

describe('PacerTick (one timer for every pacer)', () => {
  it('a pacer alone on the shared tick sends the lead at once, then one frame exactly every 20 ms, and the far end never holds more than the lead', () => {
    const clock = new ManualClock();
    const tick = new PacerTick(clock);
    clock.advance(7); // the tick's grid starts wherever the first deadline is
    const a = call(clock, tick);
    a.pacer.push(numbered(50));
    a.pacer.end();
    expect(a.sent.map((s) => s.at)).toEqual([7, 7, 7, 7, 7]);
    for (let t = 0; t < 1200; t++) {
      clock.advance(1);
      // Audio still held at the far end if it plays from the first frame on: never above the lead.
      expect(a.sent.length * 20 - (clock.now() - 7)).toBeLessThanOrEqual(100);
    }
    expect(a.sent).toHaveLength(50);
    expect(a.sent.slice(5).map((s, i) => s.at - 7 - (i + 1) * 20)).toEqual(new Array(45).fill(0));
    expect(a.sent.map((s) => s.frame[0])).toEqual([...Array(50).keys()]);
    expect(a.drained()).toBe(1);
    expect(a.underruns()).toBe(0);
    expect(tick.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('serves many calls of different phases from one timer: each frame on or at most one period after its deadline, 20 ms apart, none lost, each reply drained once', () => {
    const clock = new ManualClock();
    const tick = new PacerTick(clock);
    const calls: { c: ReturnType<typeof call>; start: number }[] = [];
    // 100 calls whose replies start at scattered times (3 ms apart), 2 s each.
    for (let i = 0; i < 100; i++) {
      clock.advance(3);
      const c = call(clock, tick);
      c.pacer.push(numbered(100, i));
      c.pacer.end();
      calls.push({ c, start: clock.now() });
      expect(clock.pending).toBeLessThanOrEqual(1);
    }
    expect(tick.size).toBe(100);
    for (let t = 0; t < 3000; t++) {
      clock.advance(1);
      expect(clock.pending).toBeLessThanOrEqual(1);
    }
    for (const [i, { c, start }] of calls.entries()) {
      expect(c.sent).toHaveLength(100);
      expect(c.sent.map((s) => s.frame[0])).toEqual([...Array(100).keys()].map((k) => (k + i) % 251));
      for (let k = 5; k < 100; k++) {
        const deadline = start + (k + 1) * 20 - 100;
        const late = c.sent[k].at - deadline;
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThan(tick.periodMs);
      }
      const gaps = c.sent.slice(6).map((s, k) => s.at - c.sent[5 + k].at);
      expect(new Set(gaps)).toEqual(new Set([20]));
      expect(c.drained()).toBe(1);
      expect(c.underruns()).toBe(0);
    }
    expect(tick.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('barge-in: clear() stops that call at once and leaves the others on the tick untouched; the timer stops with the last call', () => {
    const clock = new ManualClock();
    const tick = new PacerTick(clock);
    const a = call(clock, tick);
    clock.advance(11);
    const b = call(clock, tick);
    a.pacer.push(numbered(100));
    a.pacer.end();
    clock.advance(4);
    b.pacer.push(numbered(100));
    b.pacer.end();
    clock.advance(300);
    const aSent = a.sent.length;
    const bSent = b.sent.length;
    a.pacer.clear();
    expect(a.pacer.busy).toBe(false);
    expect(tick.size).toBe(1);
    clock.advance(400);
    expect(a.sent).toHaveLength(aSent);
    expect(a.drained()).toBe(0);
    expect(b.sent.length).toBe(bSent + 20);
    b.pacer.clear();
    expect(tick.size).toBe(0);
    expect(clock.pending).toBe(0);
    clock.advance(2000);
    expect(b.sent.length).toBe(bSent + 20);
    // A cleared call starts its next reply as a new run: the lead at once, then on its own deadlines.
    a.pacer.push(numbered(10));
    expect(a.sent).toHaveLength(aSent + 5);
    clock.advance(20);
    expect(a.sent).toHaveLength(aSent + 6);
  });

  it('recovers from an event-loop stall without a burst, for every call on the tick', () => {
    const clock = new ManualClock();
    const tick = new PacerTick(clock);
    const calls = [0, 1, 2].map(() => call(clock, tick));
    for (const c of calls) {
      c.pacer.push(numbered(200));
      clock.advance(6);
    }
    clock.advance(300);
    const before = calls.map((c) => c.sent.length);
    clock.stall(500);
    clock.advance(0);
    for (const [i, c] of calls.entries()) {
      expect(c.sent.length - before[i]).toBeLessThanOrEqual(5); // only the lead is refilled
      expect(c.underruns()).toBe(1);
    }
  });

  it('a call whose send throws is dropped from the tick, the others keep playing, and the error still surfaces', () => {
    const clock = new ManualClock();
    const tick = new PacerTick(clock);
    let fail = false;
    const bad = call(clock, tick, 100, () => {
      if (fail) throw new Error('boom');
      return true;
    });
    const good = call(clock, tick);
    bad.pacer.push(numbered(50));
    good.pacer.push(numbered(50));
    clock.advance(40);
    fail = true;
    expect(() => clock.advance(20)).toThrow('boom');
    const badSent = bad.sent.length;
    const goodSent = good.sent.length;
    clock.advance(200);
    expect(bad.sent).toHaveLength(badSent);
    expect(good.sent.length).toBe(goodSent + 10);
  });

  it('audio queued from onDrained, inside the tick, is played as a new reply', () => {
    const clock = new ManualClock();
    const tick = new PacerTick(clock);
    const sent: number[] = [];
    let drained = 0;
    const pacer: Pacer = new Pacer({
      frameBytes: 320,
      leadMs: 40,
      clock,
      tick,
      send: (f) => (sent.push(f[0]), true),
      onDrained: () => {
        if (++drained === 1) {
          pacer.push(numbered(4, 100));
          pacer.end();
        }
      },
    });
    pacer.push(numbered(6));
    pacer.end();
    clock.advance(1000);
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 100, 101, 102, 103]);
    expect(drained).toBe(2);
    expect(clock.pending).toBe(0);
  });
});
