import type { Clock } from '../audio/clock.js';
import { ConnectorError } from '../errors.js';
import { TokenBucket } from './token-bucket.js';

/** Which per-call bound was exceeded: the close reason's detail and the `limit` label of `lexconn_limit_exceeded_total`. */
export type LimitName = 'control messages' | 'audio' | 'lex requests' | 'lex events';

/** Caller audio allowed ahead of real time at any moment, ms: a platform sends in real time, give or take jitter. */
const AUDIO_ALLOWANCE_MS = 60_000;
/** Audio refill, ms of audio per second: twice real time. */
const AUDIO_REFILL_MS_PER_S = 2000;
/** Lex requests allowed at once on the per-utterance routes. */
const LEX_REQUEST_BURST = 10;

/** The per-call rates a client controls (`Config.limits`). */
export interface CallLimitSettings {
  controlMessagesPerSecond: number;
  lexRequestsPerMinute: number;
}

/**
 * One call's rate bounds: control messages (text events and pings) per second, caller audio
 * faster than real time, Lex requests per minute. A breach throws `RATE_LIMITED` (close 4009,
 * the reason names the bound); the connection turns it into the close.
 */
export class CallLimits {
  private readonly controlBucket: TokenBucket;
  private readonly audioBucket: TokenBucket;
  private readonly lexBucket: TokenBucket;

  constructor(clock: Clock, settings: CallLimitSettings) {
    this.controlBucket = new TokenBucket(clock, settings.controlMessagesPerSecond * 2, settings.controlMessagesPerSecond);
    this.audioBucket = new TokenBucket(clock, AUDIO_ALLOWANCE_MS, AUDIO_REFILL_MS_PER_S);
    this.lexBucket = new TokenBucket(clock, LEX_REQUEST_BURST, settings.lexRequestsPerMinute / 60);
  }

  /** One control message (DTMF, mark, any text event but audio, a ping). */
  control(): void {
    if (!this.controlBucket.take()) throw this.exceeded('control messages');
  }

  /** `ms` of caller audio arrived. */
  audio(ms: number): void {
    if (!this.audioBucket.take(ms)) throw this.exceeded('audio');
  }

  /** A new Lex request is about to start (per-utterance routes). */
  lexRequest(): void {
    if (!this.lexBucket.take()) throw this.exceeded('lex requests');
  }

  /** The error for a bound exceeded (also by something else: the queue of events to Lex). */
  exceeded(limit: LimitName): ConnectorError {
    return new ConnectorError('RATE_LIMITED', undefined, { detail: limit });
  }
}
