/** What Lex answered to one utterance or text input, transport-neutral. */
export interface BotReply {
  /** Reply audio, PCM16 LE at `audioRateHz`, streaming as Lex sends it. */
  audio?: AsyncIterable<Uint8Array>;
  audioRateHz: number;
  transcript?: string;
  message?: string;
  /** V1 dialogState or V2 dialogAction.type. */
  dialogState?: string;
  intentName?: string;
  /** The call should end once this reply has played (Lex Close with hangup_on_close, or `nexmo-close`). */
  endCall: boolean;
}

/** An utterance upload in progress: audio streams in while the caller speaks. */
export interface UtteranceUpload {
  /** Appends PCM16 LE at the upload's rate. */
  write(pcm: Uint8Array): void;
  /** The caller finished: send the tail and wait for Lex. */
  end(): void;
  /** Settles with Lex's answer (or a `ConnectorError`). */
  reply: Promise<BotReply>;
}

/** A per-utterance Lex bot (V1 PostContent or V2 RecognizeUtterance). */
export interface UtteranceBot {
  readonly api: 'v1' | 'v2';
  /** Starts a request for audio at `rateHz` (8000 or 16000). */
  startUtterance(rateHz: number, signal: AbortSignal): UtteranceUpload;
  /** Sends text (DTMF digits) and gets a spoken reply. */
  sendText(text: string, signal: AbortSignal): Promise<BotReply>;
  /** Frees the SDK client and its sockets. */
  close(): void;
}

/** Lex input content type for PCM16 LE at `rateHz` (protocols.md §3.2; the full 8 kHz form). */
export function lexAudioContentType(rateHz: number): string {
  return rateHz === 8000 ? 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false' : 'audio/l16; rate=16000; channels=1';
}

/** True for a session attribute value that asks to hang up (`nexmo-close`, as the original). */
export function truthy(v: string | undefined): boolean {
  return v !== undefined && !['', '0', 'false', 'no'].includes(v.toLowerCase());
}
