import type { Clock } from '../../src/audio/clock.js';

/**
 * A monotonic clock running `speed` times faster than real time, so paced playback of
 * long replies finishes quickly in integration tests. Tests never assert durations.
 */
export function scaledClock(speed: number): Clock {
  const t0 = performance.now();
  return {
    now: () => (performance.now() - t0) * speed,
    setTimer: (fn, ms) => setTimeout(fn, Math.max(0, ms) / speed),
    clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  };
}
