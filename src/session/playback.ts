import type { Clock } from '../audio/clock.js';
import { Pacer } from '../audio/pacer.js';
import type { PacerTick } from '../audio/pacer-tick.js';
import type { Resampler, ResamplerFactory } from '../audio/resampler.js';
import { asBytes, frameBytes } from '../audio/pcm.js';
import type { CallTransport } from '../transports/transport.js';
import type { SessionDeps } from './session-deps.js';

/** How a reply's playback ended. */
export type PlayOutcome = 'played' | 'cleared';

/** Playback settings. */
export interface PlaybackOptions {
  clock: Clock;
  /** The shared pacer tick; without one the pacer has its own. */
  tick?: PacerTick;
  leadMs: number;
  /** How long to wait for the platform's playout report before assuming it played, ms. */
  markTimeoutMs: number;
  onFrame?(sent: boolean): void;
  /** Audio queued locally beyond this (ms) is dropped and counted (bounds memory per call). */
  maxQueuedMs?: number;
  onUnderrun?(gapMs: number): void;
}

/**
 * One call's outbound audio: reply PCM at Lex's rate -> resampled to the call rate ->
 * paced 20 ms frames -> a playout mark, so the session learns when the caller has
 * heard the whole reply. `clear()` is barge-in: nothing queued survives it.
 */
export class Playback {
  private readonly pacer: Pacer;
  private resampler: Resampler | undefined;
  private carry: number | undefined;
  private generation = 0;
  private pending: { name: string; resolve(o: PlayOutcome): void; timer?: unknown } | undefined;
  private replyOpen = false;
  /** Samples in and out of the resampler for the current reply (to trim the filter tail exactly). */
  private srcSamples = 0;
  private outSamples = 0;

  constructor(
    private readonly transport: CallTransport,
    private readonly resamplers: ResamplerFactory,
    private readonly opts: PlaybackOptions,
  ) {
    this.pacer = new Pacer({
      frameBytes: frameBytes(transport.rateHz),
      leadMs: opts.leadMs,
      clock: opts.clock,
      tick: opts.tick,
      send: (f) => {
        const ok = transport.sendFrame(f);
        opts.onFrame?.(ok);
        return ok;
      },
      onDrained: () => this.drained(),
      onUnderrun: opts.onUnderrun,
    });
  }

  /** True from the first reply byte until the caller has heard the end (or it was cleared). */
  get speaking(): boolean {
    return this.replyOpen || this.pacer.busy || this.pending !== undefined;
  }

  /** Frames sent so far. */
  get framesSent(): number {
    return this.pacer.framesSent;
  }

  /** Starts a reply whose PCM arrives at `sourceRateHz`. */
  begin(sourceRateHz: number): void {
    if (!this.resampler || this.resampler.inRateHz !== sourceRateHz) {
      this.resampler?.close();
      this.resampler = this.resamplers.create(sourceRateHz, this.transport.rateHz);
    }
    this.replyOpen = true;
    this.srcSamples = 0;
    this.outSamples = 0;
  }

  /** Queues reply bytes (any length, even odd: a split sample is carried over). */
  push(bytes: Uint8Array): void {
    if (!this.replyOpen || bytes.length === 0) return;
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.carry !== undefined) {
      buf = Buffer.concat([Buffer.from([this.carry]), buf]);
      this.carry = undefined;
    }
    if (buf.length % 2 === 1) {
      this.carry = buf[buf.length - 1];
      buf = buf.subarray(0, buf.length - 1);
    }
    const aligned = buf.byteOffset % 2 === 0 ? buf : Buffer.from(buf);
    const samples = new Int16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
    const out = this.resampler!.process(samples);
    this.srcSamples += samples.length;
    this.outSamples += out.length;
    if (this.pacer.queuedMs > (this.opts.maxQueuedMs ?? 120_000)) {
      this.opts.onFrame?.(false); // counted as dropped: the reply is longer than any prompt should be
      return;
    }
    if (out.length) this.pacer.push(asBytes(out));
  }

  /** Ends the reply; settles when the caller has heard it all, or when it is cleared. */
  finish(): Promise<PlayOutcome> {
    if (!this.replyOpen) return Promise.resolve('cleared');
    this.replyOpen = false;
    this.carry = undefined;
    // The reply lasts exactly as long as its source: the filter tail is cut to the remainder.
    const r = this.resampler!;
    const expected = Math.round((this.srcSamples * r.outRateHz) / r.inRateHz);
    const tail = r.flush().subarray(0, Math.max(0, expected - this.outSamples));
    if (tail.length) this.pacer.push(asBytes(tail));
    const name = `reply-${++this.generation}`;
    return new Promise<PlayOutcome>((resolve) => {
      this.pending = { name, resolve };
      this.pacer.end();
    });
  }

  /** The platform reported mark `name` played. */
  onMark(name: string): void {
    if (this.pending?.name === name) this.settle('played');
  }

  /** Barge-in: drops local and far-end audio; a reply in progress settles as `cleared`. */
  clear(): void {
    const wasSpeaking = this.speaking;
    this.pacer.clear();
    this.replyOpen = false;
    this.carry = undefined;
    this.resampler?.close();
    this.resampler = undefined;
    this.generation++;
    this.settle('cleared');
    if (wasSpeaking) this.transport.clear();
  }

  /** Stops for good. */
  close(): void {
    this.pacer.close();
    this.resampler?.close();
    this.settle('cleared');
  }

  private drained(): void {
    const p = this.pending;
    if (!p) return;
    this.transport.mark(p.name);
    // A platform that never echoes marks must not hold the call: assume played after a while.
    p.timer = this.opts.clock.setTimer(() => this.settle('played'), this.opts.markTimeoutMs);
  }

  private settle(outcome: PlayOutcome): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.timer !== undefined) this.opts.clock.clearTimer(p.timer);
    p.resolve(outcome);
  }
}

/** The Playback every session uses: pacer lead, mark fallback and metrics from its deps. */
export function sessionPlayback(transport: CallTransport, deps: SessionDeps): Playback {
  return new Playback(transport, deps.resamplers, {
    clock: deps.clock,
    tick: deps.pacerTick,
    leadMs: deps.leadMs,
    markTimeoutMs: deps.leadMs + 2000,
    onFrame: (ok) => (ok ? deps.metrics.framesSent : deps.metrics.framesDropped).inc(),
    onUnderrun: () => deps.metrics.underruns.inc(),
  });
}
