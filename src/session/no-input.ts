import type { Clock } from '../audio/clock.js';
import type { NoInputOptions } from '../call/call-options.js';

/**
 * Watches for a caller who says nothing after a prompt (`no_input_ms`, docs/handoff.md "No
 * input"): `armed` when a prompt has played; the caller's input stops it and forgets the
 * silences so far; each silence of `ms` calls `onSilence` with its count and whether the
 * re-prompts (`retries`) are used up. Off (never fires) when `ms` is 0. Time is the injected clock's.
 */
export class NoInputWatch {
  private timer: unknown;
  private silences = 0;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly opts: NoInputOptions,
    private readonly onSilence: (attempt: number, exhausted: boolean) => void,
  ) {}

  /** True when `no_input_ms` is set for the call. */
  get enabled(): boolean {
    return this.opts.ms > 0;
  }

  /** A prompt has played to its end (or a turn failed without one): the caller's turn starts now. */
  arm(): void {
    if (!this.enabled || this.closed) return;
    this.stop();
    this.timer = this.clock.setTimer(() => this.fire(), this.opts.ms);
  }

  /** The caller is making sound the bot has not answered yet: a running silence starts again from now. */
  postpone(): void {
    if (this.timer !== undefined) this.arm();
  }

  /** The caller spoke or pressed a key: the silences so far no longer count. */
  heard(): void {
    this.silences = 0;
    this.stop();
  }

  /** The bot is busy or speaking: no silence is counted until the next `arm`. */
  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.closed = true;
    this.stop();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.closed) return;
    this.silences++;
    this.onSilence(this.silences, this.silences > this.opts.retries);
  }
}

/** Bytes of prompt audio kept for a replay: 20 s at 16 kHz; a longer prompt is not replayed (re-prompts fall back to the next step). */
const TAPE_MAX_BYTES = 20 * 16000 * 2;

/** The last prompt's audio as the bot sent it, kept only when no-input re-prompts may replay it. */
export class PromptTape {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private overflow = false;
  rateHz = 16000;

  /** A new prompt at `rateHz` starts. */
  begin(rateHz: number): void {
    this.rateHz = rateHz;
    this.chunks = [];
    this.bytes = 0;
    this.overflow = false;
  }

  push(chunk: Uint8Array): void {
    if (this.overflow) return;
    this.bytes += chunk.length;
    if (this.bytes > TAPE_MAX_BYTES) {
      this.overflow = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(Uint8Array.from(chunk));
  }

  /** The prompt's chunks, or undefined when there is none to replay. */
  get recording(): readonly Uint8Array[] | undefined {
    return this.overflow || this.bytes === 0 ? undefined : this.chunks;
  }
}
