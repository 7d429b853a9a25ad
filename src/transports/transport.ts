import type { CloseSpec } from '../call/close-codes.js';

/** The platform side of a call as the session sees it: PCM16 frames at `rateHz` and control. */
export interface CallTransport {
  readonly platform: 'vonage' | 'twilio';
  /** Audio rate of the call at the session (Twilio's µ-law is decoded to 8 kHz PCM). */
  readonly rateHz: number;
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
  onDtmf(digit: string): void;
  /** The far end played everything up to mark `name`. */
  onMark(name: string): void;
  /** The caller hung up or the platform stopped the stream. */
  onHangup(): void;
}
