import type { Clock } from './clock.js';
import { PacerTick, type TickClient } from './pacer-tick.js';
import { FRAME_MS } from './pcm.js';

/** Pacer settings. */
export interface PacerOptions {
  /** Bytes in one 20 ms frame at the call rate. */
  frameBytes: number;
  /** Audio allowed to sit in the far end's buffer, in ms (default 100). */
  leadMs: number;
  clock: Clock;
  /** The process's shared tick (`PacerTick` on `clock`); without one the pacer has a tick of its own. */
  tick?: PacerTick;
  /** Sends one frame; returns false when the transport cannot take it (frame dropped). */
  send(frame: Buffer): boolean;
  /** Called once each time a reply that was `end()`ed has had its last frame sent. */
  onDrained?(): void;
  /** Called when the far end would have run dry in the middle of a reply. */
  onUnderrun?(gapMs: number): void;
}

/**
 * Sends audio as exactly one 20 ms frame per message on a monotonic deadline: frame i of
 * a run is due at `t0 + (i+1)*20 - lead`, so the far end never holds more than `leadMs`.
 * After a stall the schedule is re-based instead of bursting the missed frames. Frames due
 * later are sent by the shared `PacerTick`, which serves every call's pacer from one timer.
 */
export class Pacer implements TickClient {
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private partial: Buffer | undefined;
  private ending = false;
  private runStart = 0;
  private sentInRun = 0;
  private readonly tick: PacerTick;
  private midReply = false;
  private closed = false;
  /** Frames sent since creation. */
  framesSent = 0;
  /** Frames the transport refused. */
  framesDropped = 0;
  /** When the next frame is due (for the tick). */
  dueAt = 0;
  /** Kept by the tick. */
  tickSlot = -1;

  constructor(private readonly opts: PacerOptions) {
    this.tick = opts.tick ?? new PacerTick(opts.clock);
  }

  /** True while frames are queued or a reply is still being sent. */
  get busy(): boolean {
    return this.queuedBytes > 0 || this.partial !== undefined || this.ending;
  }

  /** Milliseconds of audio waiting locally (not yet sent). */
  get queuedMs(): number {
    return ((this.queuedBytes + (this.partial?.length ?? 0)) / this.opts.frameBytes) * FRAME_MS;
  }

  /** Queues PCM of any length; it is cut into frames as it is sent. */
  push(pcm: Buffer): void {
    if (this.closed || pcm.length === 0) return;
    let data = pcm;
    if (this.partial) {
      data = Buffer.concat([this.partial, pcm]);
      this.partial = undefined;
    }
    const whole = data.length - (data.length % this.opts.frameBytes);
    if (whole > 0) {
      this.chunks.push(data.subarray(0, whole));
      this.queuedBytes += whole;
    }
    if (whole < data.length) this.partial = Buffer.from(data.subarray(whole));
    this.kick();
  }

  /** Marks the end of a reply: the last partial frame is padded with silence. */
  end(): void {
    if (this.closed) return;
    if (this.partial) {
      const frame = Buffer.alloc(this.opts.frameBytes);
      this.partial.copy(frame);
      this.partial = undefined;
      this.chunks.push(frame);
      this.queuedBytes += frame.length;
    }
    this.ending = true;
    this.kick();
  }

  /** Drops everything not yet sent (barge-in). Does not call `onDrained`. */
  clear(): void {
    this.chunks.length = 0;
    this.queuedBytes = 0;
    this.partial = undefined;
    this.ending = false;
    this.sentInRun = 0;
    this.midReply = false;
    this.tick.unschedule(this);
  }

  /** Stops for good; idempotent. */
  close(): void {
    this.clear();
    this.closed = true;
  }

  /** The shared tick: sends what is due; false once nothing is queued (the tick drops the pacer). */
  onTick(now: number): boolean {
    return this.step(now);
  }

  private kick(): void {
    if (this.tickSlot < 0 && !this.closed && this.step(this.opts.clock.now())) this.tick.schedule(this);
  }

  /** Sends every frame due at `now`; true while frames stay queued (`dueAt` is when the next is). */
  private step(now: number): boolean {
    const { frameBytes, leadMs } = this.opts;
    if (this.queuedBytes > 0) {
      const playedUntil = this.runStart + this.sentInRun * FRAME_MS;
      if (this.sentInRun === 0 || now > playedUntil) {
        // The far end has played everything: start a new run from now.
        if (this.midReply && this.sentInRun > 0) this.opts.onUnderrun?.(now - playedUntil);
        this.runStart = now;
        this.sentInRun = 0;
      }
      // Frame i may go once the far end would still hold at most `leadMs` after receiving it.
      while (this.queuedBytes > 0 && this.runStart + (this.sentInRun + 1) * FRAME_MS - leadMs <= now) {
        const head = this.chunks[0];
        const frame = head.subarray(0, frameBytes);
        if (head.length === frameBytes) this.chunks.shift();
        else this.chunks[0] = head.subarray(frameBytes);
        this.queuedBytes -= frameBytes;
        this.sentInRun++;
        this.midReply = true;
        if (this.opts.send(frame)) this.framesSent++;
        else this.framesDropped++;
        if (this.closed) return false;
      }
    }
    if (this.queuedBytes > 0) {
      this.dueAt = this.runStart + (this.sentInRun + 1) * FRAME_MS - leadMs;
      return true;
    }
    if (this.ending && this.partial === undefined) {
      this.ending = false;
      this.midReply = false;
      this.opts.onDrained?.();
      // Audio queued by `onDrained` itself is sent (or scheduled) like any other.
      if (this.queuedBytes > 0 && !this.closed) return this.step(now);
    }
    return false;
  }
}
