import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Readable } from 'node:stream';
import { LexRuntimeV2Client, StartConversationCommand, type LexRuntimeV2ClientConfig, type StartConversationRequestEventStream } from '@aws-sdk/client-lex-runtime-v2';
import { codec } from '../../src/emulator/event-stream.js';
import { eventSignature } from '../../src/emulator/sigv4.js';
import { encodeDateHeader } from '../../src/emulator/event-stream.js';
import { EventQueue } from '../../src/bots/lexv2/event-queue.js';
import { EventSigner } from '../../src/bots/lexv2/event-signer.js';
import { fastEventStreamSerdeProvider } from '../../src/bots/lexv2/fast-event-stream.js';
import { SignedEventBody } from '../../src/bots/lexv2/signed-event-body.js';

type Ev = StartConversationRequestEventStream;
const LPCM = 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = Date.parse('2026-11-22T12:00:00.123Z');

/**
 * Sends `events` through a real client whose payload handler only collects the request
 * body: with the SDK's marshaller the chunks are the SDK's encoded events; with ours the
 * body is a SignedEventBody, started with a fixed clock and a known seed.
 */
async function captureBody(events: Ev[], fast: boolean): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const client = new LexRuntimeV2Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
    maxAttempts: 1,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    ...(fast ? { eventStreamSerdeProvider: fastEventStreamSerdeProvider } : {}),
    eventStreamPayloadHandlerProvider: () => ({
      handle: async (_next: unknown, args: { request: { body: Readable } }) => {
        const body = args.request.body;
        if (fast) {
          expect(body).toBeInstanceOf(SignedEventBody);
          void (body as SignedEventBody).start(new EventSigner(SECRET, 'us-east-1', 'lex', '0'.repeat(64)), () => NOW);
        }
        for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
        if (fast) chunks.splice(0, chunks.length, ...splitMessages(Buffer.concat(chunks)));
        throw new Error('captured');
      },
    }),
  } as LexRuntimeV2ClientConfig);
  const q = new EventQueue<Ev>();
  for (const e of events) q.push(e);
  q.end();
  const send = client.send(new StartConversationCommand({ botId: 'B', botAliasId: 'A', localeId: 'en_US', sessionId: 's', conversationMode: 'AUDIO', requestEventStream: q }));
  await expect(send).rejects.toThrow('captured');
  client.destroy();
  return chunks;
}

/** A byte stream cut into whole event-stream messages by their length prefixes. */
function splitMessages(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) out.push(bytes.subarray(at, at + bytes.readUInt32BE(at)));
  return out;
}

/** Inner messages of the fast body's signed frames; checks each signature on the way. */
function unwrap(frames: Buffer[]): Buffer[] {
  let prior = '0'.repeat(64);
  return frames.map((f) => {
    const outer = codec.decode(f);
    const date = outer.headers[':date'].value as Date;
    const sig = Buffer.from(outer.headers[':chunk-signature'].value as Uint8Array).toString('hex');
    expect(sig).toBe(eventSignature(SECRET, 'us-east-1', date, prior, encodeDateHeader(date), outer.body));
    prior = sig;
    return Buffer.from(outer.body);
  });
}

const audio = (bytes: Uint8Array, contentType = LPCM): Ev => ({ AudioInputEvent: { contentType, audioChunk: bytes } });

describe('fast event-stream marshaller', () => {
  it('encodes every StartConversation event byte for byte as the SDK does, then the signed end frame', async () => {
    const events: Ev[] = [
      {
        ConfigurationEvent: {
          responseContentType: 'audio/pcm; sample-rate=8000',
          sessionState: { sessionAttributes: { tenant: 't1', ünï: 'cødé "q"' }, dialogAction: { type: 'ElicitIntent' } },
          requestAttributes: { a: 'b' },
          welcomeMessages: [{ contentType: 'PlainText', content: 'Hello' }],
          disablePlayback: false,
        },
      },
      audio(new Uint8Array(320).map((_, i) => i * 7)),
      audio(new Uint8Array(0)),
      audio(Uint8Array.of(1)),
      audio(Uint8Array.of(1, 2)),
      audio(Buffer.from('a Buffer, not a plain Uint8Array')),
      audio(new Uint8Array(320).subarray(10, 50)),
      audio(Uint8Array.of(9, 9, 9), 'audio/x-"odd"; note=ü'),
      { AudioInputEvent: { contentType: LPCM, audioChunk: Uint8Array.of(5), eventId: 'a-1', clientTimestampMillis: 1234 } },
      { DTMFInputEvent: { inputCharacter: '#' } },
      { TextInputEvent: { text: 'hi' } },
      { PlaybackCompletionEvent: {} },
      { DisconnectionEvent: {} },
    ];
    const sdk = await captureBody(events, false);
    const fast = await captureBody(events, true);
    // The SDK's body ends with an empty chunk that its signer turns into the end frame.
    expect(sdk.at(-1)!.length).toBe(0);
    expect(fast).toHaveLength(sdk.length);
    expect(unwrap(fast).map((b) => b.toString('hex'))).toEqual(sdk.map((b) => b.toString('hex')));
  });

  it('matches the SDK for any audio chunk and content type', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 400 }), { minLength: 1, maxLength: 5 }), fc.oneof(fc.constant(LPCM), fc.string({ maxLength: 40 })), async (chunks, contentType) => {
        const events = chunks.map((c) => audio(c, contentType));
        const sdk = await captureBody(events, false);
        const fast = await captureBody(events, true);
        expect(unwrap(fast).map((b) => b.toString('hex'))).toEqual(sdk.map((b) => b.toString('hex')));
      }),
      { numRuns: 25 },
    );
  });
});
