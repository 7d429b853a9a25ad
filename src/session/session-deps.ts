import type { Logger } from 'pino';
import type { Clock } from '../audio/clock.js';
import type { PacerTick } from '../audio/pacer-tick.js';
import type { ResamplerFactory } from '../audio/resampler.js';
import type { VadFactory } from '../audio/vad.js';
import type { Metrics } from '../metrics.js';
import type { CallEventSink } from '../call/call-events.js';
import type { CallLimits } from '../call/call-limits.js';
import type { CloseSpec } from '../call/close-codes.js';
import type { HandoffDestination, PlatformHandoff } from '../call/handoff.js';
import type { HandoffRules } from '../call/handoff-rules.js';
import type { ConnectorError } from '../errors.js';
import type { CallHandlers } from '../transports/transport.js';

/** Everything a call session uses, passed in (no module singletons). */
export interface SessionDeps {
  clock: Clock;
  /** The process's one pacer tick (`app.ts`); without it each call's pacer has a tick of its own. */
  pacerTick?: PacerTick;
  /** The call's child logger ({ callId, platform, route }). */
  log: Logger;
  metrics: Metrics;
  vad: VadFactory;
  resamplers: ResamplerFactory;
  leadMs: number;
  dtmfTimeoutMs: number;
  /** Time Lex gets to answer after the caller's input ended, ms (`LEX_TIMEOUT_MS`). */
  lexTimeoutMs: number;
  /** The call's rate bounds: Lex requests, and the error for a bound exceeded elsewhere (events queued to Lex). */
  limits: Pick<CallLimits, 'lexRequest' | 'exceeded'>;
  /** Route label for metrics: v1 | v2 | conversation. */
  route: string;
  /** Where the call's conversation events go (`call/call-events.ts`). */
  events: CallEventSink;
  /** Hand-off rules, the server's default destination and the platform side (docs/handoff.md). */
  handoff: SessionHandoff;
}

/** What a session needs to hand a caller to a human. */
export interface SessionHandoff {
  rules: HandoffRules;
  /** `HANDOFF_TO`, for calls without `handoff_to`. */
  defaultTo?: HandoffDestination;
  platform: PlatformHandoff;
}

/** How a session ends its call: a close (`detail` follows the fixed reason), or an error whose code picks the close. */
export type SessionEnd = (why: CloseSpec | ConnectorError, detail?: string) => void;

/** A running call session: platform events in, `close()` to stop (the connection calls it once). */
export interface Session extends CallHandlers {
  close(): void;
  /** Counters for the call's summary line. */
  readonly stats: Readonly<Record<string, number>>;
}
