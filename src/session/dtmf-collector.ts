import type { Clock } from '../audio/clock.js';

/** True for a DTMF key as the platforms send it: `0-9`, `*`, `#`, `A-D`. */
export function isDtmfKey(digit: string): boolean {
  return /^[0-9A-D*#]$/.test(digit);
}

/**
 * Collects DTMF keys into one entry: `#` ends it (not included), `*` clears it, and
 * `idleMs` without a key ends it too. Used by the per-utterance routes, where digits
 * reach Lex as text.
 */
export class DtmfCollector {
  private digits = '';
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly onEntry: (digits: string) => void,
  ) {}

  /** True while an entry is being typed. */
  get active(): boolean {
    return this.digits !== '' || this.timer !== undefined;
  }

  /** One key press (`0-9`, `*`, `#`, `A-D`); other characters are ignored. */
  key(digit: string): void {
    if (!isDtmfKey(digit)) return;
    this.stopTimer();
    if (digit === '#') return this.flush();
    this.digits = digit === '*' ? '' : this.digits + digit;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.flush();
    }, this.idleMs);
  }

  /** Drops any partial entry and its timer. */
  close(): void {
    this.stopTimer();
    this.digits = '';
  }

  private flush(): void {
    const d = this.digits;
    this.digits = '';
    if (d) this.onEntry(d);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
