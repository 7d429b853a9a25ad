import type { Logger } from 'pino';
import type { Clock } from '../audio/clock.js';
import type { PacerTick } from '../audio/pacer-tick.js';
import type { ResamplerFactory } from '../audio/resampler.js';
import type { VadFactory } from '../audio/vad.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { LexClientFactory } from '../bots/lex-clients.js';
import type { CallEventSinkFactory } from '../call/call-events.js';
import type { PlatformHandoff } from '../call/handoff.js';

/**
 * The Lex emulator running in this process as the connector's Lex back-end (`npm run dev`,
 * `npm run demo`). Only then can a browser call script what the emulator "recognises", and
 * only then does the browser page offer the demo credentials (docs/browser.md).
 */
export interface EmbeddedEmulator {
  /** The key pair the emulator accepts. */
  demoKey: { accessKeyId: string; secretAccessKey: string };
  /** Queues transcripts for the next utterances of the Lex session `sessionId`. */
  script(sessionId: string, transcripts: string[]): void;
}

/** What every connection of one connector shares. */
export interface ConnectorContext {
  config: Config;
  clock: Clock;
  /** The one timer that paces every call's reply audio (on `clock`). */
  pacerTick: PacerTick;
  logger: Logger;
  metrics: Metrics;
  vad: VadFactory;
  resamplers: ResamplerFactory;
  lex: LexClientFactory;
  /** Sinks for each call's conversation events (`call/call-events.ts`); none by default. */
  eventSinks: CallEventSinkFactory[];
  /** Present when the Lex back-end is the emulator embedded in this process. */
  emulator?: EmbeddedEmulator;
  /** The platform side of hand-offs (Vonage transfer, Twilio call update); `CLOSE_ONLY` without credentials. */
  handoff: PlatformHandoff;
  /** Told +1 when a call starts (joins `lexconn_active_calls`) and -1 when it ends; a cluster worker reports its count to the primary. */
  onActiveCalls?: (delta: 1 | -1) => void;
}
