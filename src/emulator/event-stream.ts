import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { Message, MessageHeaders } from '@smithy/types';

/** The event-stream codec (protocols.md §4.6) shared by the emulator. */
export const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Encodes a server event: `:message-type=event`, `:event-type`, JSON body. */
export function encodeEvent(eventType: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
}

/** Encodes a modeled exception message (`:message-type=exception`). */
export function encodeException(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':message-type': { type: 'string', value: 'exception' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** Encodes an unmodeled error message (`:message-type=error`). */
export function encodeError(code: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':error-code': { type: 'string', value: code },
      ':error-message': { type: 'string', value: message },
      ':message-type': { type: 'string', value: 'error' },
    },
    body: new Uint8Array(0),
  });
}

/** Encodes only the `:date` header, as the chunk signature hashes it. */
export function encodeDateHeader(date: Date): Uint8Array {
  const headers: MessageHeaders = { ':date': { type: 'timestamp', value: date } };
  return codec.formatHeaders(headers);
}

/** Splits a byte stream into whole event-stream messages (frames may straddle DATA frames). */
export class MessageSplitter {
  private buf: Buffer = Buffer.alloc(0);

  /** Appends bytes; returns the complete messages now available, decoded. */
  push(chunk: Buffer): Message[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Message[] = [];
    while (this.buf.length >= 4) {
      const total = this.buf.readUInt32BE(0);
      if (total < 16) throw new RangeError('event-stream message shorter than its prelude');
      if (this.buf.length < total) break;
      out.push(codec.decode(this.buf.subarray(0, total)));
      this.buf = this.buf.subarray(total);
    }
    return out;
  }
}
