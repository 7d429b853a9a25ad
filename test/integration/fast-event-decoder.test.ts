import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StartConversationCommand, type StartConversationRequestEventStream } from '@aws-sdk/client-lex-runtime-v2';
import { codec, encodeError, encodeEvent, encodeException } from '../../src/emulator/event-stream.js';
import { fastEventStreamOptions } from '../../src/bots/lexv2/fast-event-stream.js';
import { demoCredentials, EventQueue, v2Client } from '../helpers/lex-clients.js';

const BOT = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId: 's1' };

/** Every kind of message a StartConversation response can carry, edge cases included. */
const MESSAGES: Record<string, Uint8Array> = {
  text: encodeEvent('TextResponseEvent', { eventId: 'RESPONSE-1', messages: [{ contentType: 'PlainText', content: 'Hi "there" ü' }] }),
  transcript: encodeEvent('TranscriptEvent', { eventId: 'RESPONSE-2', transcript: 'roses' }),
  intent: encodeEvent('IntentResultEvent', {
    eventId: 'RESPONSE-3',
    inputMode: 'Speech',
    sessionId: 's1',
    sessionState: {
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'PickupDate' },
      intent: { name: 'OrderFlowers', state: 'InProgress', slots: { FlowerType: { value: { interpretedValue: 'roses', originalValue: 'roses', resolvedValues: ['roses'] } } } },
      sessionAttributes: { a: 'b' },
    },
    interpretations: [{ intent: { name: 'OrderFlowers' }, nluConfidence: { score: 0.9 } }],
  }),
  audio: encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-4', contentType: 'audio/pcm', audioChunk: Buffer.from('some audio bytes!').toString('base64') }),
  audioEnd: encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-5', contentType: 'audio/pcm', audioChunk: '' }),
  audioNoChunk: encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-6', contentType: 'audio/pcm' }),
  audioNull: encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-7', contentType: 'audio/pcm', audioChunk: null }),
  audioExtra: encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-8', audioChunk: 'AQID', future: { x: 1 } }),
  heartbeat: encodeEvent('HeartbeatEvent', { eventId: 'RESPONSE-9' }),
  interruption: encodeEvent('PlaybackInterruptionEvent', { eventId: 'RESPONSE-10', eventReason: 'VOICE_START_DETECTED', causedByEventId: 'a-1' }),
  unknown: encodeEvent('SomeFutureEvent', { eventId: 'RESPONSE-11' }),
  badBase64: encodeEvent('AudioResponseEvent', { eventId: 'RESPONSE-12', audioChunk: 'not base64!' }),
  exception: encodeException('ValidationException', 'Bad audio'),
  error: encodeError('InternalFailure', 'Something broke'),
};

let server: http2.Http2Server;
let url: string;
/** What the next response carries, cut into these chunks. */
let nextResponse: Buffer[] = [];

beforeAll(async () => {
  server = http2.createServer();
  server.on('stream', (stream) => {
    stream.resume();
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    const chunks = nextResponse;
    let i = 0;
    const next = (): void => {
      if (i === chunks.length) return void stream.end();
      stream.write(chunks[i++], next);
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

/** Reads one response through a real client: the events, then the error that ended it (if any). */
async function read(fast: boolean, body: Buffer[]): Promise<{ events: unknown[]; error?: Record<string, unknown> }> {
  nextResponse = body;
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const lex = v2Client(url, demoCredentials, { logger: quiet, ...(fast ? fastEventStreamOptions() : {}) });
  const q = new EventQueue<StartConversationRequestEventStream>();
  q.push({ ConfigurationEvent: { responseContentType: 'audio/pcm' } });
  q.end();
  const events: unknown[] = [];
  try {
    const res = await lex.send(new StartConversationCommand({ ...BOT, conversationMode: 'AUDIO', requestEventStream: q }));
    for await (const e of res.responseEventStream!) events.push(e);
    return { events };
  } catch (err) {
    const e = err as Error & { $fault?: string };
    return { events, error: { ctor: e.constructor.name, name: e.name, message: e.message, fault: e.$fault } };
  } finally {
    lex.destroy();
  }
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

describe('fast response decoding (real SDK clients, an HTTP/2 peer sending fixed bytes)', () => {
  it.each(Object.keys(MESSAGES))('"%s" reads exactly as with the SDK marshaller, before and after audio', async (name) => {
    const body = Buffer.concat([MESSAGES.audio, MESSAGES[name], MESSAGES.audio]);
    const sdk = await read(false, [body]);
    const fast = await read(true, [body]);
    expect(fast).toEqual(sdk);
    expect(sdk.events.length + (sdk.error ? 1 : 0)).toBeGreaterThan(0);
  });

  it('reads any sequence of messages cut anywhere exactly as the SDK does', async () => {
    const names = Object.keys(MESSAGES);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), async (seq, at) => {
        const body = cut(Buffer.concat(seq.map((n) => MESSAGES[n])), at);
        expect(await read(true, body)).toEqual(await read(false, body));
      }),
      { numRuns: 30 },
    );
  });

  it('a body that ends inside a message fails as with the SDK', async () => {
    const body = [Buffer.concat([MESSAGES.audio, MESSAGES.text.subarray(0, 20)])];
    const sdk = await read(false, body);
    expect(sdk.error?.message).toMatch(/Truncated/);
    expect(await read(true, body)).toEqual(sdk);
  });

  it('the audio fast path yields what the SDK yields, byte for byte', async () => {
    const { events } = await read(true, [Buffer.from(MESSAGES.audio)]);
    expect(events).toEqual([{ AudioResponseEvent: { eventId: 'RESPONSE-4', contentType: 'audio/pcm', audioChunk: new Uint8Array(Buffer.from('some audio bytes!')) } }]);
    expect(codec.decode(MESSAGES.audio).headers[':event-type'].value).toBe('AudioResponseEvent');
  });
});
