import { EventStreamCodec } from '@smithy/eventstream-codec';
import { getMessageUnmarshaller } from '@smithy/core/event-streams';
import { fromBase64 } from '@smithy/core/serde';
import type { Message } from '@smithy/types';

type Utf8 = { toUtf8: (b: Uint8Array) => string; fromUtf8: (s: string) => Uint8Array };
type Deserializer<T> = (input: Record<string, Message>) => Promise<T>;

const AUDIO_KEYS = new Set(['audioChunk', 'contentType', 'eventId']);

/**
 * Reads a StartConversation response body (protocols.md §4.6) into modeled events, as the
 * SDK's marshaller does but with one async step per event instead of a chain of async
 * generators. Every message goes through the SDK's own unmarshaller (events, modeled
 * exceptions, errors) except the frequent one: an `AudioResponseEvent` whose JSON holds
 * only string `audioChunk`, `contentType` and `eventId`, which becomes the same object
 * directly (base64 decoded by the SDK's own `fromBase64`).
 */
export async function* decodeEvents<T>(body: AsyncIterable<Uint8Array>, deserializer: Deserializer<T>, utf8: Utf8): AsyncGenerator<T> {
  const codec = new EventStreamCodec(utf8.toUtf8, utf8.fromUtf8);
  const unmarshal = getMessageUnmarshaller(deserializer as Deserializer<Record<string, unknown>>, utf8.toUtf8);
  let pending: Buffer | undefined;
  for await (const chunk of body) {
    let buf = pending ? Buffer.concat([pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pending = undefined;
    while (buf.length >= 4) {
      const total = buf.readUInt32BE(0);
      if (buf.length < total) break;
      const bytes = buf.subarray(0, total);
      buf = buf.subarray(total);
      const message = codec.decode(bytes);
      // The SDK's path gets its own copy of the message, as the SDK's reader makes one.
      const event = audioResponse(message, utf8) ?? (await unmarshal(codec.decode(Uint8Array.prototype.slice.call(bytes))));
      if (event !== undefined) yield event as T;
    }
    if (buf.length > 0) pending = Buffer.from(buf);
  }
  if (pending) throw new Error('Truncated event message received.');
}

/** The modeled AudioResponseEvent of `m`, or undefined to leave `m` to the SDK. */
function audioResponse(m: Message, utf8: Utf8): Record<string, unknown> | undefined {
  if (m.headers[':message-type']?.value !== 'event' || m.headers[':event-type']?.value !== 'AudioResponseEvent') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(utf8.toUtf8(m.body));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    if (!AUDIO_KEYS.has(k) || typeof v !== 'string') return undefined;
    try {
      out[k] = k === 'audioChunk' ? fromBase64(v) : v;
    } catch {
      return undefined;
    }
  }
  return { AudioResponseEvent: out };
}
