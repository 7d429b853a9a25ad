import type { ConnectorError } from '../errors.js';

/**
 * The bot interfaces sessions use, transport-neutral and SDK-free: a session knows a bot
 * only through `UtteranceBot` or `ConversationBot`; `bot-factory.ts` picks the back-end.
 */

/** Per-call Lex settings a bot sends with its requests; never credentials (the SDK client holds those). */
export interface BotOptions {
  /**
   * The call's session attributes (caller id, call id, the caller's own): the per-utterance bots
   * send them with every request, under the attributes Lex returned last (the bot's own values
   * win); the conversation bot sends them when it opens its stream.
   */
  sessionAttributes?: Record<string, string>;
  requestAttributes?: Record<string, string>;
}

/** One way Lex understood the input: an intent and its NLU confidence (0–1) when Lex gives one. */
export interface Interpretation {
  intentName: string;
  confidence?: number;
}

/** What the bot said about the dialog. */
export interface DialogOutcome {
  transcript?: string;
  /** V1 dialogState or V2 dialogAction.type. */
  dialogState?: string;
  intentName?: string;
  /** V2 `intent.state` (`InProgress`, `ReadyForFulfillment`, `Fulfilled`, `Failed`…); V1: derived from its dialogState. */
  intentState?: string;
  /** The intent's slots: name -> interpreted value, null while unfilled. */
  slots?: Record<string, string | null>;
  /** NLU confidence of `intentName`, 0–1, when Lex gives one. */
  confidence?: number;
  /** Every interpretation Lex returned, best first (V2 `interpretations`, V1 the intent and `alternativeIntents`). */
  interpretations?: Interpretation[];
  /** Lex ended the dialog: V2 dialogAction `Close`, V1 dialogState `Fulfilled` or `Failed`. */
  dialogClosed: boolean;
  sessionAttributes?: Record<string, string>;
}

/** What Lex answered to one utterance or text input. */
export interface BotReply extends DialogOutcome {
  /** Reply audio, PCM16 LE at `audioRateHz`, streaming as Lex sends it; a failure is a `ConnectorError`. */
  audio?: AsyncIterable<Uint8Array>;
  audioRateHz: number;
  message?: string;
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

/** A per-utterance bot (Lex V1 PostContent or V2 RecognizeUtterance). */
export interface UtteranceBot {
  /** Label of the Lex API in metrics. */
  readonly api: string;
  /** Starts a request for audio at `rateHz` (8000 or 16000). */
  startUtterance(rateHz: number, signal: AbortSignal): UtteranceUpload;
  /** Sends text (DTMF digits) and gets a spoken reply. */
  sendText(text: string, signal: AbortSignal): Promise<BotReply>;
  /** Frees the SDK client and its sockets. */
  close(): void;
}

/** What the bot says on a conversation stream. */
export type ConversationEvent =
  | { type: 'transcript'; transcript: string }
  | ({ type: 'intent'; inputMode?: string; sessionAttributes: Record<string, string> } & Omit<DialogOutcome, 'transcript' | 'sessionAttributes'>)
  | { type: 'text'; messages: string[] }
  /** A chunk of prompt audio; `chunk` undefined marks the end of the prompt. */
  | { type: 'audio'; chunk: Uint8Array | undefined }
  | { type: 'interruption'; reason?: string }
  | { type: 'heartbeat' };

/** How a conversation stream starts. */
export interface ConversationSetup {
  /** Rate of the prompt audio the session wants: 8000 or 16000. */
  replyRateHz: number;
  /** A stream reopened on the same session after a drop: no welcome, no initial intent, no session attributes. */
  resume: boolean;
  welcomeMessage?: string;
  initialIntent?: string;
}

/** One open conversation stream: caller input in; events and its end arrive through `open`'s callbacks. */
export interface ConversationStream {
  /** One 20 ms chunk of 8 kHz PCM16; false when it was dropped (the bot is not keeping up). */
  sendAudio(chunk: Uint8Array): boolean;
  /** One DTMF key; false when refused (too many events waiting for the bot: the session ends the call). */
  sendDtmf(key: string): boolean;
  /** The caller has heard the whole prompt; false when refused as `sendDtmf`. */
  sendPlaybackCompletion(): boolean;
  /** The caller hung up: end the stream politely. */
  disconnect(): void;
  /** Ends the stream now. */
  cancel(): void;
}

/** A streaming bot (Lex V2 StartConversation): the bot end-points, detects barge-in and handles DTMF. */
export interface ConversationBot {
  /** Label of the Lex API in metrics. */
  readonly api: string;
  /** Caller audio rate the stream takes (8000). */
  readonly inputRateHz: number;
  /** Opens a stream; `onEnd` runs once when it ends, with the error if it failed. */
  open(setup: ConversationSetup, onEvent: (ev: ConversationEvent) => void, onEnd: (err?: ConnectorError) => void): ConversationStream;
  /** Frees the SDK client and its sockets. */
  close(): void;
}

/** The bot of a route, by the shape of session it needs. */
export type RouteBot = { kind: 'utterance'; bot: UtteranceBot } | { kind: 'conversation'; bot: ConversationBot };

/** Lex input content type for PCM16 LE at `rateHz` (protocols.md §3.2; the full 8 kHz form). */
export function lexAudioContentType(rateHz: number): string {
  return rateHz === 8000 ? 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false' : 'audio/l16; rate=16000; channels=1';
}
