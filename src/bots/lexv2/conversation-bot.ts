import { StartConversationCommand, type LexRuntimeV2Client, type StartConversationRequestEventStream, type StartConversationResponseEventStream } from '@aws-sdk/client-lex-runtime-v2';
import type { V2Ids } from '../../call/routes.js';
import type { ConnectorError } from '../../errors.js';
import type { BotOptions, ConversationBot, ConversationEvent, ConversationSetup, ConversationStream } from '../bot.js';
import { fromLexError } from '../errors.js';
import { confidenceOf, v2Interpretations, v2Slots } from '../lex-results.js';
import { EventQueue } from './event-queue.js';

/** The ConfigurationEvent of a stream (protocols.md §4.4). */
interface StreamConfiguration {
  responseContentType: string;
  sessionAttributes?: Record<string, string>;
  requestAttributes?: Record<string, string>;
  welcomeMessage?: string;
  initialIntent?: string;
}

/** LPCM as StartConversation takes it: 8 kHz only. */
const CONVERSATION_AUDIO = 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false';

/** Audio events (20 ms each) allowed to wait for Lex before new ones are dropped: 10 s. */
const MAX_PENDING_AUDIO = 500;
/** Events of any kind allowed to wait for Lex; past this a control event is refused and the call ends (4009). */
const MAX_PENDING_EVENTS = MAX_PENDING_AUDIO + 256;

/**
 * One StartConversation stream (HTTP/2, signed events) for one call. Caller input is queued
 * at once; Lex events are delivered as `ConversationEvent`s; the end of the stream, normal
 * or not, is reported once through `onEnd`.
 */
class LexConversationStream implements ConversationStream {
  private readonly queue = new EventQueue<StartConversationRequestEventStream>(MAX_PENDING_AUDIO, MAX_PENDING_EVENTS);
  private readonly abort = new AbortController();
  private ended = false;

  constructor(
    private readonly client: LexRuntimeV2Client,
    private readonly addr: V2Ids,
    private readonly onEvent: (ev: ConversationEvent) => void,
    private readonly onEnd: (err?: ConnectorError) => void,
  ) {}

  /** Sends the ConfigurationEvent and opens the stream (does not wait for Lex). */
  start(setup: StreamConfiguration): void {
    const sessionState: Record<string, unknown> = {};
    if (setup.sessionAttributes) sessionState.sessionAttributes = setup.sessionAttributes;
    if (setup.initialIntent) {
      sessionState.dialogAction = { type: 'Delegate' };
      sessionState.intent = { name: setup.initialIntent };
    } else if (setup.welcomeMessage) {
      sessionState.dialogAction = { type: 'ElicitIntent' };
    }
    this.queue.push({
      ConfigurationEvent: {
        responseContentType: setup.responseContentType,
        sessionState: Object.keys(sessionState).length ? sessionState : undefined,
        requestAttributes: setup.requestAttributes,
        welcomeMessages: setup.welcomeMessage ? [{ contentType: 'PlainText', content: setup.welcomeMessage }] : undefined,
        disablePlayback: false,
      },
    });
    // send() resolves at Lex's first event, so input streams before it does.
    this.client
      .send(new StartConversationCommand({ ...this.addr, conversationMode: 'AUDIO', requestEventStream: this.queue }), { abortSignal: this.abort.signal })
      .then((res) => this.read(res.responseEventStream))
      .catch((err: unknown) => this.finish(fromLexError(err)));
  }

  /** One ≤ 320-byte chunk of 8 kHz LPCM; dropped (false) when Lex is not keeping up. */
  sendAudio(chunk: Uint8Array): boolean {
    return this.queue.push({ AudioInputEvent: { contentType: CONVERSATION_AUDIO, audioChunk: chunk } }, true);
  }

  sendDtmf(key: string): boolean {
    return this.queue.push({ DTMFInputEvent: { inputCharacter: key } });
  }

  sendPlaybackCompletion(): boolean {
    return this.queue.push({ PlaybackCompletionEvent: {} });
  }

  /** The caller hung up: tell Lex and end the request stream. */
  disconnect(): void {
    this.queue.push({ DisconnectionEvent: {} });
    this.queue.end();
  }

  /** Cancels the HTTP/2 stream now. */
  cancel(): void {
    this.queue.discard();
    this.abort.abort();
  }

  private async read(events: AsyncIterable<StartConversationResponseEventStream> | undefined): Promise<void> {
    try {
      for await (const ev of events ?? []) {
        if (this.ended) return;
        const mapped = mapEvent(ev);
        if (mapped) this.onEvent(mapped);
      }
      this.finish();
    } catch (err) {
      this.finish(fromLexError(err));
    }
  }

  private finish(err?: ConnectorError): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.discard();
    this.onEnd(err);
  }
}

function mapEvent(ev: StartConversationResponseEventStream): ConversationEvent | undefined {
  if (ev.AudioResponseEvent) {
    const c = ev.AudioResponseEvent.audioChunk;
    return { type: 'audio', chunk: c && c.length > 0 ? c : undefined };
  }
  if (ev.TranscriptEvent) return { type: 'transcript', transcript: ev.TranscriptEvent.transcript ?? '' };
  if (ev.IntentResultEvent) {
    const s = ev.IntentResultEvent.sessionState;
    const interpretations = v2Interpretations(ev.IntentResultEvent.interpretations);
    return {
      type: 'intent',
      inputMode: ev.IntentResultEvent.inputMode,
      dialogState: s?.dialogAction?.type,
      dialogClosed: s?.dialogAction?.type === 'Close',
      intentName: s?.intent?.name,
      intentState: s?.intent?.state,
      slots: v2Slots(s?.intent?.slots),
      confidence: confidenceOf(s?.intent?.name, interpretations),
      interpretations,
      sessionAttributes: s?.sessionAttributes ?? {},
    };
  }
  if (ev.TextResponseEvent) return { type: 'text', messages: (ev.TextResponseEvent.messages ?? []).map((m) => m.content ?? '') };
  if (ev.PlaybackInterruptionEvent) return { type: 'interruption', reason: ev.PlaybackInterruptionEvent.eventReason };
  if (ev.HeartbeatEvent) return { type: 'heartbeat' };
  return undefined;
}

/**
 * Lex V2 StartConversation as a `ConversationBot`: one SDK client (HTTP/2) per call, a new
 * stream on the same Lex session each time `open` is called.
 */
export class LexV2ConversationBot implements ConversationBot {
  readonly api = 'v2-stream';
  readonly inputRateHz = 8000;

  constructor(
    private readonly client: LexRuntimeV2Client,
    private readonly addr: V2Ids,
    private readonly options: BotOptions,
  ) {}

  open(setup: ConversationSetup, onEvent: (ev: ConversationEvent) => void, onEnd: (err?: ConnectorError) => void): ConversationStream {
    const stream = new LexConversationStream(this.client, this.addr, onEvent, onEnd);
    stream.start({
      // 8 kHz prompts come straight from Lex; any other rate is 16 kHz `audio/pcm`, resampled by the session.
      responseContentType: setup.replyRateHz === 8000 ? 'audio/pcm; sample-rate=8000' : 'audio/pcm',
      sessionAttributes: setup.resume ? undefined : this.options.sessionAttributes,
      requestAttributes: this.options.requestAttributes,
      welcomeMessage: setup.resume ? undefined : setup.welcomeMessage,
      initialIntent: setup.resume ? undefined : setup.initialIntent,
    });
    return stream;
  }

  close(): void {
    this.client.destroy();
  }
}
