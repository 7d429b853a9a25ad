import type { Logger } from 'pino';
import type { Clock } from '../audio/clock.js';
import type { ResamplerFactory } from '../audio/resampler.js';
import type { VadFactory } from '../audio/vad.js';
import type { Metrics } from '../metrics.js';

/** Everything a call session uses, passed in (no module singletons). */
export interface SessionDeps {
  clock: Clock;
  /** The call's child logger ({ callId, platform, route }). */
  log: Logger;
  metrics: Metrics;
  vad: VadFactory;
  resamplers: ResamplerFactory;
  leadMs: number;
  dtmfTimeoutMs: number;
  /** Route label for metrics: v1 | v2 | conversation. */
  route: string;
}

/** How a session reports its own end to the connection that owns it. */
export type SessionEnd = (spec: import('../call/close-codes.js').CloseSpec, detail?: string) => void;
