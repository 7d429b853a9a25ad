import type { Logger } from 'pino';
import type { Clock } from '../audio/clock.js';
import type { ResamplerFactory } from '../audio/resampler.js';
import type { VadFactory } from '../audio/vad.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { LexClientFactory } from '../bots/lex-clients.js';
import type { CallEventSinkFactory } from '../call/call-events.js';
import type { PlatformHandoff } from '../call/handoff.js';

/** What every connection of one connector shares. */
export interface ConnectorContext {
  config: Config;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  vad: VadFactory;
  resamplers: ResamplerFactory;
  lex: LexClientFactory;
  /** Sinks for each call's conversation events (`call/call-events.ts`); none by default. */
  eventSinks: CallEventSinkFactory[];
  /** The platform side of hand-offs (Vonage transfer, Twilio call update); `CLOSE_ONLY` without credentials. */
  handoff: PlatformHandoff;
}
