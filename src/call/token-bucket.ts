import type { Clock } from '../audio/clock.js';

/**
 * A token bucket on the injected clock: up to `capacity` at once, refilled at `perSecond`.
 * The bound behind every per-call rate (docs/operations.md, "Threat model and limits").
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Takes `n` tokens; false (and nothing taken) when fewer are left. */
  take(n = 1): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.perSecond) / 1000);
    this.last = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}
