import type { WebSocket } from 'ws';
import type { CloseSpec } from '../call/close-codes.js';

/**
 * Optional capability of a transport: its far end takes live JSON events (transcripts,
 * intents, turn latency) as text messages on the call's own socket. A browser client has
 * it; telephony platforms never do, so a session checks `transport.events` before sending.
 */
export interface LiveEvents {
  /** Sends one event as a JSON text message (never refused for buffering: events are small). */
  sendEvent(event: { type: string } & Record<string, unknown>): void;
}

/** The platform side of a call as the session sees it: PCM16 frames at `rateHz` and control. */
export interface CallTransport {
  /** The platform's name (`PlatformAdapter.name`), for logs and metrics. */
  readonly platform: string;
  /** Audio rate of the call at the session (Twilio's µ-law is decoded to 8 kHz PCM). */
  readonly rateHz: number;
  /** Present when the far end takes live events. */
  readonly events?: LiveEvents;
  /** Sends one 20 ms PCM16 frame; false when it was dropped. */
  sendFrame(frame: Buffer): boolean;
  /** Stops playback at the far end and discards its buffer (barge-in). */
  clear(): void;
  /** Asks the far end to report when everything sent so far has played (Vonage notify, Twilio mark). */
  mark(name: string): void;
  /** Closes the socket with a documented code; idempotent. */
  close(spec: CloseSpec, detail?: string): void;
}

/** What a transport tells its session. */
export interface CallHandlers {
  /** One 20 ms PCM16 frame at the call rate (a fresh array the session may keep). */
  onAudio(frame: Int16Array): void;
  /** One DTMF key as the platform sent it (the session validates it). */
  onDtmf(digit: string): void;
  /** The far end played everything up to mark `name`. */
  onMark(name: string): void;
}

/** A transport as the connection drives it: raw messages in, session handlers out. */
export interface WireTransport extends CallTransport {
  /** Feeds one WebSocket message received after configuration; throws `ConnectorError` for one that breaks the protocol. */
  onMessage(data: Buffer, isBinary: boolean): void;
  /** The session, once it exists; messages before that are ignored. */
  handlers: CallHandlers | undefined;
}

/** The per-call rate bounds a transport reports its messages to; each throws RATE_LIMITED (4009) past its bound. */
export interface TransportLimits {
  /** One control message: any text message that is not audio. */
  control(): void;
  /** `ms` of caller audio. */
  audio(ms: number): void;
}

/** What a transport gets from the connection that owns the socket. */
export interface TransportOptions {
  /** Outbound bytes the socket may hold before the call is closed as a slow reader (`MAX_BUFFERED_BYTES`, 4006). */
  maxBufferedBytes: number;
  /** Runs once when the transport closes the socket (Twilio `stop`, a slow reader), with the close it chose: the call is over for its session. */
  onClose?(spec: CloseSpec): void;
  /** The call's rate bounds (`call/call-limits.ts`). */
  limits?: TransportLimits;
  /**
   * Queues transcripts that the embedded Lex emulator "recognises" in this call's next
   * utterances (docs/browser.md). Present only when the embedded emulator is the Lex back-end.
   */
  scriptRecognition?(transcripts: string[]): void;
}

/** The outcome of reading an opening message: a configured call, or a platform that needs another message. */
export type Configured =
  | {
      transport: WireTransport;
      /** The per-call settings (NCCO headers, TwiML `<Parameter>`s), validated by `parseCallConfig`. */
      fields: Record<string, unknown>;
      /** Platform ids worth a debug line (stream and call ids). */
      ids?: Record<string, string | undefined>;
    }
  | { awaiting(next: Record<string, unknown>): Configured };

/**
 * One platform the connector speaks, as a self-contained adapter: it recognises its opening
 * message and builds its transport. Pure parsing lives in the platform's `protocol.ts`.
 */
export interface PlatformAdapter {
  /** Name in logs and the `platform` metric label. */
  readonly name: string;
  /** How a person would name the opening message (in the 4000 close reason when none matches). */
  readonly opening: string;
  /** True when `first` (the call's first text message, a JSON object) opens a call of this platform. */
  claims(first: Record<string, unknown>): boolean;
  /**
   * Reads the opening message: the transport and per-call settings, or `awaiting` for a
   * platform with a longer handshake. Throws `ConnectorError` (its code picks the close).
   */
  configure(first: Record<string, unknown>, socket: WebSocket, opts: TransportOptions): Configured;
}
