import { PassThrough, type Readable } from 'node:stream';
import { PostContentCommand, type LexRuntimeServiceClient, type PostContentCommandOutput } from '@aws-sdk/client-lex-runtime-service';
import type { V1Ids } from '../../call/routes.js';
import type { BotOptions, BotReply, UtteranceBot, UtteranceUpload } from '../bot.js';
import { lexAudioContentType } from '../bot.js';
import { fromLexError, lexAudio } from '../errors.js';

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

/** Lex V1 PostContent, one request per utterance; replies as 16 kHz `audio/pcm`. */
export class LexV1Bot implements UtteranceBot {
  readonly api = 'v1' as const;
  private first = true;

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
    const sessionAttributes = this.first && this.options.sessionAttributes ? JSON.stringify(this.options.sessionAttributes) : undefined;
    this.first = false;
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
    return {
      audio: out.audioStream ? lexAudio(out.audioStream as AsyncIterable<Uint8Array>) : undefined,
      audioRateHz: 16000,
      transcript: b64text(out.encodedInputTranscript) ?? out.inputTranscript,
      message: b64text(out.encodedMessage) ?? out.message,
      dialogState: out.dialogState,
      intentName: out.intentName,
      dialogClosed: out.dialogState === 'Fulfilled' || out.dialogState === 'Failed',
      sessionAttributes: parseJsonString(out.sessionAttributes),
    };
  }
}
