import type { Clock } from '../../src/audio/clock.js';

interface Entry {
  at: number;
  seq: number;
  fn: (() => void) | undefined;
}

/**
 * A clock for benchmarks that run faster (or, under callgrind, slower) than real time: time
 * moves only by `advance`, and timers sit in a binary heap, so each one costs about what a
 * Node timer costs (an object, a log-n insert, a lazy delete) however many are pending.
 * `ManualClock` (the tests' clock) scans every timer on each step and would make the number
 * of timers, not the code under test, the cost.
 */
export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly heap: Entry[] = [];

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): unknown {
    const e: Entry = { at: this.t + Math.max(0, ms), seq: ++this.seq, fn };
    this.push(e);
    return e;
  }

  clearTimer(handle: unknown): void {
    (handle as Entry).fn = undefined;
  }

  /** Moves time forward by `ms`, running due timers in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    while (this.heap.length > 0 && this.heap[0].at <= end) {
      const e = this.pop();
      if (!e.fn) continue;
      this.t = Math.max(this.t, e.at);
      const fn = e.fn;
      e.fn = undefined;
      fn();
    }
    this.t = end;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
