import { PassThrough, type Readable } from 'node:stream';
import { RecognizeUtteranceCommand, type LexRuntimeV2Client, type RecognizeUtteranceCommandOutput } from '@aws-sdk/client-lex-runtime-v2';
import type { V2Ids } from '../../call/routes.js';
import type { BotOptions, BotReply, UtteranceBot, UtteranceUpload } from '../bot.js';
import { lexAudioContentType } from '../bot.js';
import { fromLexError, lexAudio } from '../errors.js';
import { confidenceOf, v2Interpretations, v2Slots } from '../lex-results.js';
import { decodeV2Header, encodeV2Header } from './headers.js';

interface V2State {
  dialogAction?: { type?: string };
  intent?: { name?: string; state?: string; slots?: unknown };
  sessionAttributes?: Record<string, string>;
}

/** Lex V2 RecognizeUtterance, one request per utterance; replies as 16 kHz `audio/pcm`. */
export class LexV2Bot implements UtteranceBot {
  readonly api = 'v2' as const;
  /** The session attributes of Lex's last answer: sent back with the call's own under them. */
  private lexAttributes: Record<string, string> = {};

  constructor(
    private readonly client: LexRuntimeV2Client,
    private readonly addr: V2Ids,
    private readonly options: BotOptions,
  ) {}

  startUtterance(rateHz: number, signal: AbortSignal): UtteranceUpload {
    const body = new PassThrough();
    const reply = this.recognize(body, lexAudioContentType(rateHz), signal);
    return { write: (pcm) => void body.write(pcm), end: () => void body.end(), reply };
  }

  sendText(text: string, signal: AbortSignal): Promise<BotReply> {
    return this.recognize(Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8', signal);
  }

  close(): void {
    this.client.destroy();
  }

  private async recognize(input: Readable | Buffer, requestContentType: string, signal: AbortSignal): Promise<BotReply> {
    // The call's attributes go with every request, so a Lex session that expired or was reset
    // between turns still has them; the bot's own values (from the last answer) win. Only
    // `sessionAttributes` is sent: the emulator keeps the dialog for absent parts, and the
    // developer guide describes the attributes as replaced on their own; whether AWS keeps
    // `intent`/`dialogAction` when they are absent is UNVERIFIED (protocols.md §4.3).
    const attributes = this.options.sessionAttributes ? { ...this.options.sessionAttributes, ...this.lexAttributes } : undefined;
    const sessionState = attributes ? encodeV2Header({ sessionAttributes: attributes }) : undefined;
    let out: RecognizeUtteranceCommandOutput;
    try {
      out = await this.client.send(
        new RecognizeUtteranceCommand({
          ...this.addr,
          requestContentType,
          responseContentType: 'audio/pcm',
          inputStream: input,
          sessionState,
          requestAttributes: this.options.requestAttributes ? encodeV2Header(this.options.requestAttributes) : undefined,
        }),
        { abortSignal: signal },
      );
    } catch (err) {
      if (input instanceof PassThrough) input.destroy();
      throw fromLexError(err);
    }
    const state = (decodeV2Header(out.sessionState) ?? {}) as V2State;
    const messages = decodeV2Header(out.messages) as { content?: string }[] | undefined;
    const transcript = decodeV2Header(out.inputTranscript);
    const action = state.dialogAction?.type;
    const interpretations = v2Interpretations(decodeV2Header(out.interpretations));
    if (state.sessionAttributes) this.lexAttributes = state.sessionAttributes;
    return {
      audio: out.audioStream ? lexAudio(out.audioStream as AsyncIterable<Uint8Array>) : undefined,
      audioRateHz: 16000,
      transcript: typeof transcript === 'string' ? transcript : undefined,
      message: Array.isArray(messages) ? messages.map((m) => m.content ?? '').join(' ') : undefined,
      dialogState: action,
      intentName: state.intent?.name,
      intentState: state.intent?.state,
      slots: v2Slots(state.intent?.slots),
      confidence: confidenceOf(state.intent?.name, interpretations),
      interpretations,
      dialogClosed: action === 'Close',
      sessionAttributes: state.sessionAttributes,
    };
  }
}
