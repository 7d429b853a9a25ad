/**
 * When a worker that died is replaced (the policy of pm2's `exp_backoff_restart_delay`): the first
 * restart after `RESTART_BASE_MS`, each further one of the same slot twice as late, up to
 * `RESTART_MAX_MS`, so a worker that crashes on start cannot spin the machine. A worker that stayed
 * up `STABLE_MS` resets its slot's count.
 */
export const RESTART_BASE_MS = 100;
/** The longest wait before a restart. */
export const RESTART_MAX_MS = 15_000;
/** A worker up this long was healthy: its slot's next crash restarts after `RESTART_BASE_MS` again. */
export const STABLE_MS = 30_000;

/** Delay before the restart that follows `crashes` consecutive unexpected exits (1 = the first). */
export function restartDelayMs(crashes: number): number {
  return Math.min(RESTART_BASE_MS * 2 ** Math.max(0, crashes - 1), RESTART_MAX_MS);
}

/** One worker slot's crash count: reset when the worker that died had been up `STABLE_MS` or more. */
export function nextCrashCount(previous: number, upMs: number): number {
  return upMs >= STABLE_MS ? 1 : previous + 1;
}
