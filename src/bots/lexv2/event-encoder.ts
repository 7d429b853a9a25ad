import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Message } from '@smithy/types';
import { crc32 } from './event-signer.js';

/** How the SDK turns one modeled event into a message (the callback its marshaller is given). */
export type EventSerializer = (event: object) => Message;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The JSON around the base64 audio of an AudioInputEvent with a given content type. */
interface AudioTemplate {
  headers: Uint8Array;
  prefix: Buffer;
  suffix: Buffer;
}

/**
 * Encodes the request events of a StartConversation stream into event-stream messages
 * (protocols.md §4.6), byte for byte as the SDK's serializer does.
 *
 * Every event but one goes through the SDK's own serializer. The exception is the event
 * sent 50 times a second, `AudioInputEvent` with only `contentType` and `audioChunk`: its
 * headers and the JSON around the base64 chunk are taken once per content type from the
 * SDK's serializer itself (two probe events, checked against each other), then each
 * chunk is written into that template without building objects or strings per field.
 */
export class EventEncoder {
  private readonly templates = new Map<string, AudioTemplate | null>();
  /** The last audio message's buffer, and views of it, reused while the size stays the same. */
  private out = Buffer.alloc(0);
  private outHeadersBytes = -1;
  private checked = Buffer.alloc(0);

  constructor(private readonly serialize: EventSerializer) {}

  /** The encoded message; valid until the next call (the buffer is reused). */
  encode(event: object): Uint8Array {
    const audio = audioOnly(event);
    const t = audio && this.template(audio.contentType);
    if (!t) return codec.encode(this.serialize(event));
    const b64 = toBase64(audio.audioChunk);
    const total = 12 + t.headers.length + t.prefix.length + b64.length + t.suffix.length + 4;
    let out = this.out;
    if (out.length !== total || this.outHeadersBytes !== t.headers.length) {
      out = this.out = Buffer.alloc(total);
      this.outHeadersBytes = t.headers.length;
      out.writeUInt32BE(total, 0);
      out.writeUInt32BE(t.headers.length, 4);
      out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
      this.checked = out.subarray(0, total - 4);
    }
    let at = 12;
    out.set(t.headers, at);
    at += t.headers.length;
    at += t.prefix.copy(out, at);
    at += out.write(b64, at, 'latin1');
    at += t.suffix.copy(out, at);
    out.writeUInt32BE(crc32(this.checked), at);
    return out;
  }

  private template(contentType: string): AudioTemplate | null {
    let t = this.templates.get(contentType);
    if (t === undefined) {
      t = probeTemplate(this.serialize, contentType);
      this.templates.set(contentType, t);
    }
    return t;
  }
}

type AudioFields = { contentType: string; audioChunk: Uint8Array };

/** The AudioInputEvent of `event` when it has nothing but a string content type and a chunk. */
function audioOnly(event: object): AudioFields | undefined {
  const a = (event as { AudioInputEvent?: Record<string, unknown> }).AudioInputEvent;
  if (a === undefined || a === null) return undefined;
  // The SDK serializes the first own key of the union object: it must be this one.
  for (const k in event) if (k !== 'AudioInputEvent') return undefined;
  if (typeof a.contentType !== 'string' || !(a.audioChunk instanceof Uint8Array)) return undefined;
  for (const k in a) if (k !== 'contentType' && k !== 'audioChunk' && a[k] !== undefined) return undefined;
  return a as AudioFields;
}

function view(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function toBase64(b: Uint8Array): string {
  return view(b).toString('base64');
}

/**
 * Asks the SDK's serializer for two AudioInputEvents (empty chunk, three-byte chunk) and
 * splits the JSON around the chunk; null when the two do not differ exactly by the base64
 * text, so such content types keep the SDK's own path.
 */
function probeTemplate(serialize: EventSerializer, contentType: string): AudioTemplate | null {
  const probe = Uint8Array.of(0xfb, 0xff, 0xbf);
  const a = serialize({ AudioInputEvent: { contentType, audioChunk: new Uint8Array(0) } });
  const b = serialize({ AudioInputEvent: { contentType, audioChunk: probe } });
  const ha = codec.formatHeaders(a.headers);
  if (!Buffer.from(ha).equals(codec.formatHeaders(b.headers))) return null;
  // Views, not Buffer.from(body): the SDK's body type turns into a string through valueOf().
  const bodyA = view(a.body);
  const bodyB = view(b.body);
  const b64 = toBase64(probe);
  let p = 0;
  while (p < bodyA.length && bodyA[p] === bodyB[p]) p++;
  const prefix = bodyA.subarray(0, p);
  const suffix = bodyA.subarray(p);
  if (!Buffer.concat([prefix, Buffer.from(b64, 'latin1'), suffix]).equals(bodyB)) return null;
  return { headers: ha, prefix: Buffer.from(prefix), suffix: Buffer.from(suffix) };
}
