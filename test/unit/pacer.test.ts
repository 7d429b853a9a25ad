import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { Pacer } from '../../src/audio/pacer.js';

function setup(leadMs = 100) {
  const clock = new ManualClock();
  const sent: { at: number; frame: Buffer }[] = [];
  let drained = 0;
  let underruns = 0;
  const pacer = new Pacer({
    frameBytes: 320,
    leadMs,
    clock,
    send: (frame) => {
      sent.push({ at: clock.now(), frame: Buffer.from(frame) });
      return true;
    },
    onDrained: () => drained++,
    onUnderrun: () => underruns++,
  });
  /** Audio the far end still holds at `now`, if it plays continuously from the run's first frame. */
  const held = (firstAt: number) => sent.length * 20 - (clock.now() - firstAt);
  return { clock, sent, pacer, held, drained: () => drained, underruns: () => underruns };
}

describe('Pacer', () => {
  it('never lets the far end hold more than the lead, and emits on 20 ms deadlines', () => {
    const { clock, sent, pacer, held } = setup(100);
    pacer.push(Buffer.alloc(320 * 100));
    expect(sent).toHaveLength(5); // the lead, at once
    expect(held(0)).toBeLessThanOrEqual(100);
    for (let t = 0; t < 1000; t++) {
      clock.advance(1);
      expect(held(0)).toBeLessThanOrEqual(100);
    }
    // After the lead, one frame every 20 ms exactly.
    const gaps = sent.slice(5).map((s, i) => s.at - sent[4 + i].at);
    expect(new Set(gaps)).toEqual(new Set([20]));
    expect(sent.every((s) => s.frame.length === 320)).toBe(true);
  });

  it('pads the last partial frame with silence and reports drain once', () => {
    const { clock, sent, pacer, drained } = setup();
    const data = Buffer.alloc(320 * 2 + 100, 7);
    pacer.push(data);
    pacer.end();
    clock.advance(200);
    expect(sent).toHaveLength(3);
    expect(sent[2].frame.subarray(0, 100)).toEqual(Buffer.alloc(100, 7));
    expect(sent[2].frame.subarray(100)).toEqual(Buffer.alloc(220));
    expect(drained()).toBe(1);
    expect(pacer.busy).toBe(false);
  });

  it('recovers from an event-loop stall without a burst', () => {
    const { clock, sent, pacer, underruns } = setup(100);
    pacer.push(Buffer.alloc(320 * 200));
    clock.advance(200);
    const before = sent.length;
    clock.stall(500); // the timer could not fire for 500 ms
    clock.advance(0);
    // Only the lead is refilled, not the 25 frames "missed" during the stall.
    expect(sent.length - before).toBeLessThanOrEqual(5);
    expect(underruns()).toBe(1);
    const afterStall = sent.length;
    clock.advance(100);
    expect(sent.length - afterStall).toBe(5);
  });

  it('clear() empties it: nothing more is sent', () => {
    const { clock, sent, pacer, drained } = setup();
    pacer.push(Buffer.alloc(320 * 50));
    pacer.end();
    clock.advance(100);
    const n = sent.length;
    pacer.clear();
    expect(pacer.busy).toBe(false);
    expect(pacer.queuedMs).toBe(0);
    clock.advance(2000);
    expect(sent.length).toBe(n);
    expect(drained()).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('starts a new reply without exceeding the lead while the previous one is still playing', () => {
    const { clock, pacer, held } = setup(100);
    pacer.push(Buffer.alloc(320 * 10));
    pacer.end();
    clock.advance(120); // all 10 sent; the far end still holds some
    pacer.push(Buffer.alloc(320 * 10));
    expect(held(0)).toBeLessThanOrEqual(100);
    clock.advance(40);
    expect(held(0)).toBeLessThanOrEqual(100);
  });
});
