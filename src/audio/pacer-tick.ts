import type { Clock } from './clock.js';

/** What the shared tick drives: a pacer with a frame due at `dueAt`. */
export interface TickClient {
  /** Clock time (ms) of the client's next due frame; read by the tick whenever it runs. */
  dueAt: number;
  /** The client's place in the tick's list while scheduled, -1 otherwise (kept by the tick only). */
  tickSlot: number;
  /** Sends what is due at `now`; false when nothing is left to send (the tick then drops the client). */
  onTick(now: number): boolean;
}

/** Tick period, ms: a frame goes out at most this long after its deadline. */
export const PACER_TICK_MS = 5;

/**
 * One timer for every call's pacer. A pacer with frames queued is scheduled here; the tick
 * runs at the first point of its grid (`anchor + k * periodMs`) at or after the earliest
 * deadline of any scheduled pacer and serves every pacer that is due, then sleeps until the
 * next earliest deadline. So there is no timer object or closure per frame, the timer heap
 * holds one entry however many calls play, and all frames due within one period go out in
 * one turn of the event loop. The grid is anchored at the first deadline whenever the tick
 * starts from idle, so a pacer alone on it sends exactly on its own deadlines; with many
 * pacers of different phases each frame is at most `periodMs` late (the pacer lead is at
 * least 20 ms, so the far end never runs dry for it).
 *
 * A client removed or added by another client's `onTick` is served correctly on a later
 * tick at the latest. A client whose `onTick` throws is dropped, the others are served, and
 * the error is rethrown once the next tick is set. The clock is injected (`ManualClock` in tests).
 */
export class PacerTick {
  private readonly clients: TickClient[] = [];
  private timer: unknown;
  /** Clock time the timer is set for; Infinity when none is set. */
  private armedAt = Infinity;
  private anchor = 0;
  private firing = false;
  /** Earliest grid time asked for by clients scheduled during a tick. */
  private wantedAt = Infinity;

  constructor(
    private readonly clock: Clock,
    readonly periodMs = PACER_TICK_MS,
  ) {}

  /** Pacers scheduled now. */
  get size(): number {
    return this.clients.length;
  }

  /** Serves `c` from its `dueAt` on, until its `onTick` returns false or it is unscheduled; a no-op when scheduled. */
  schedule(c: TickClient): void {
    if (c.tickSlot >= 0) return;
    if (this.clients.length === 0 && !this.firing) this.anchor = c.dueAt;
    c.tickSlot = this.clients.length;
    this.clients.push(c);
    this.want(c.dueAt);
  }

  /** Stops serving `c`; the timer stops with the last client. */
  unschedule(c: TickClient): void {
    const i = c.tickSlot;
    if (i < 0) return;
    const last = this.clients.pop()!;
    if (last !== c) {
      this.clients[i] = last;
      last.tickSlot = i;
    }
    c.tickSlot = -1;
    if (this.clients.length === 0 && this.timer !== undefined) {
      this.clock.clearTimer(this.timer);
      this.timer = undefined;
      this.armedAt = Infinity;
    }
  }

  /** The first grid time at or after `t` (a hair of tolerance for fractional clocks). */
  private gridAt(t: number): number {
    const p = this.periodMs;
    return this.anchor + Math.max(0, Math.ceil((t - this.anchor) / p - 1e-9)) * p;
  }

  /** Makes sure the tick runs by the grid time of `due`. */
  private want(due: number): void {
    const at = this.gridAt(due);
    if (this.firing) {
      if (at < this.wantedAt) this.wantedAt = at;
      return;
    }
    if (at >= this.armedAt) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.armedAt = at;
    this.timer = this.clock.setTimer(this.fire, at - this.clock.now());
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedAt = Infinity;
    this.firing = true;
    this.wantedAt = Infinity;
    const now = this.clock.now();
    const list = this.clients;
    let next = Infinity;
    let fault: { err: unknown } | undefined;
    // Backwards, so a client dropping itself moves an already served one into its place.
    for (let i = list.length - 1; i >= 0; i--) {
      if (i >= list.length) continue;
      const c = list[i];
      if (c.dueAt <= now) {
        let more: boolean;
        try {
          more = c.onTick(now);
        } catch (err) {
          // One call's fault must not stop the others' audio: that client is dropped, the rest served.
          fault ??= { err };
          more = false;
        }
        if (!more) {
          this.unschedule(c);
          continue;
        }
      }
      if (c.tickSlot >= 0 && c.dueAt < next) next = c.dueAt;
    }
    this.firing = false;
    const at = list.length === 0 ? Infinity : Math.min(this.gridAt(Math.max(next, now)), this.wantedAt);
    if (at !== Infinity) {
      this.armedAt = at;
      this.timer = this.clock.setTimer(this.fire, at - now);
    }
    // Reported as any fault from a timer is (process-faults.ts): logged and counted, the process serves on.
    if (fault) throw fault.err;
  };
}
