import { PassThrough, type Readable } from 'node:stream';
import { PostContentCommand, type LexRuntimeServiceClient, type PostContentCommandOutput } from '@aws-sdk/client-lex-runtime-service';
import type { V1Ids } from '../../call/routes.js';
import type { BotOptions, BotReply, UtteranceBot, UtteranceUpload } from '../bot.js';
import { lexAudioContentType } from '../bot.js';
import { fromLexError, lexAudio } from '../errors.js';
import { confidenceOf, v1Interpretations, v1Slots } from '../lex-results.js';

function b64text(v: string | undefined): string | undefined {
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

function parseJsonString(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  try {
    return JSON.parse(String(v)) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The V2-style intent state of a V1 dialogState, so one hand-off rule reads both. */
function v1IntentState(dialogState: string | undefined): string | undefined {
  if (!dialogState) return undefined;
  return ['Fulfilled', 'ReadyForFulfillment', 'Failed'].includes(dialogState) ? dialogState : 'InProgress';
}

/** Lex V1 PostContent, one request per utterance; replies as 16 kHz `audio/pcm`. */
export class LexV1Bot implements UtteranceBot {
  readonly api = 'v1' as const;
  /** The session attributes of Lex's last answer: sent back with the call's own under them. */
  private lexAttributes: Record<string, string> = {};

  constructor(
    private readonly client: LexRuntimeServiceClient,
    private readonly addr: V1Ids,
    private readonly options: BotOptions,
  ) {}

  startUtterance(rateHz: number, signal: AbortSignal): UtteranceUpload {
    const body = new PassThrough();
    const reply = this.post(body, lexAudioContentType(rateHz), signal);
    return { write: (pcm) => void body.write(pcm), end: () => void body.end(), reply };
  }

  sendText(text: string, signal: AbortSignal): Promise<BotReply> {
    return this.post(Buffer.from(text, 'utf8'), 'text/plain; charset=utf-8', signal);
  }

  close(): void {
    this.client.destroy();
  }

  private async post(input: Readable | Buffer, contentType: string, signal: AbortSignal): Promise<BotReply> {
    // PostContent's session attributes replace Lex's (protocols.md §3.2): the call's go with every
    // request, so a session that expired between turns still has them, under the bot's own.
    const sessionAttributes = this.options.sessionAttributes ? JSON.stringify({ ...this.options.sessionAttributes, ...this.lexAttributes }) : undefined;
    let out: PostContentCommandOutput;
    try {
      out = await this.client.send(
        new PostContentCommand({
          ...this.addr,
          contentType,
          accept: 'audio/pcm',
          inputStream: input,
          sessionAttributes,
          requestAttributes: this.options.requestAttributes ? JSON.stringify(this.options.requestAttributes) : undefined,
        }),
        { abortSignal: signal },
      );
    } catch (err) {
      if (input instanceof PassThrough) input.destroy();
      throw fromLexError(err);
    }
    const lexAttributes = parseJsonString(out.sessionAttributes);
    this.lexAttributes = lexAttributes;
    const interpretations = v1Interpretations(out.intentName, out.nluIntentConfidence, out.alternativeIntents);
    return {
      audio: out.audioStream ? lexAudio(out.audioStream as AsyncIterable<Uint8Array>) : undefined,
      audioRateHz: 16000,
      transcript: b64text(out.encodedInputTranscript) ?? out.inputTranscript,
      message: b64text(out.encodedMessage) ?? out.message,
      dialogState: out.dialogState,
      intentName: out.intentName,
      intentState: v1IntentState(out.dialogState),
      slots: v1Slots(out.slots),
      confidence: confidenceOf(out.intentName, interpretations),
      interpretations,
      dialogClosed: out.dialogState === 'Fulfilled' || out.dialogState === 'Failed',
      sessionAttributes: lexAttributes,
    };
  }
}
