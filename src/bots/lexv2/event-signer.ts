import { createHash, createHmac, hash as oneShotHash } from 'node:crypto';
import zlib from 'node:zlib';

/**
 * CRC-32 (IEEE, zlib's) of `data`: Node's native `zlib.crc32` (Node ≥ 20.15), else a table.
 * `value` continues a running checksum.
 */
export const crc32: (data: Uint8Array, value?: number) => number = typeof zlib.crc32 === 'function' ? zlib.crc32 : tableCrc32;

const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** CRC-32 in JavaScript, for Node releases without `zlib.crc32`. */
export function tableCrc32(data: Uint8Array, value = 0): number {
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Hex SHA-256: Node's one-shot `crypto.hash` (Node ≥ 20.12), else a Hash object. */
const sha256Hex: (data: Uint8Array) => string = typeof oneShotHash === 'function' ? (d) => oneShotHash('sha256', d, 'hex') : (d) => createHash('sha256').update(d).digest('hex');

/**
 * HMAC-SHA256 under one key (RFC 2104) as two one-shot SHA-256 calls over preallocated
 * pads: no HMAC object per message. Messages must be ASCII (the caller checks).
 */
class PaddedHmac {
  private inner: Buffer;
  private readonly outer = Buffer.alloc(64 + 32);

  constructor(key: Buffer) {
    this.inner = PaddedHmac.pad(key, 0x36, 512);
    PaddedHmac.pad(key, 0x5c, 32).copy(this.outer, 0, 0, 64);
  }

  /** The 64-byte key block XOR `byte`, followed by `room` free bytes. */
  private static pad(key: Buffer, byte: number, room: number): Buffer {
    const b = Buffer.alloc(64 + room);
    for (let i = 0; i < 64; i++) b[i] = (key[i] ?? 0) ^ byte;
    return b;
  }

  digest(message: string): Buffer {
    if (64 + message.length > this.inner.length) this.inner = Buffer.concat([this.inner.subarray(0, 64), Buffer.alloc(message.length * 2)]);
    const n = this.inner.write(message, 64, 'latin1');
    oneShotHash('sha256', this.inner.subarray(0, 64 + n), 'buffer').copy(this.outer, 64);
    return oneShotHash('sha256', this.outer, 'buffer');
  }
}

/** Bytes of the two outer headers: `:date` (timestamp, 15 bytes) then `:chunk-signature` (32-byte binary, 52 bytes). */
const OUTER_HEADERS_BYTES = 67;
const PRELUDE_BYTES = 12;
const DATE_AT = PRELUDE_BYTES;
const SIGNATURE_AT = DATE_AT + 15 + 20;
/** Prelude and headers: everything of an outer message before its payload. */
const HEAD_BYTES = PRELUDE_BYTES + OUTER_HEADERS_BYTES;
const TRAILER_BYTES = 4;

/** The constant bytes of an outer message's headers; the date and signature are filled per event. */
function outerHead(): Buffer {
  const h = Buffer.alloc(HEAD_BYTES);
  h.writeUInt32BE(OUTER_HEADERS_BYTES, 4);
  h[DATE_AT] = 5;
  h.write(':date', DATE_AT + 1, 'latin1');
  h[DATE_AT + 6] = 8; // timestamp: int64 big-endian milliseconds
  h[DATE_AT + 15] = 16;
  h.write(':chunk-signature', DATE_AT + 16, 'latin1');
  h[DATE_AT + 32] = 6; // byte array
  h.writeUInt16BE(32, DATE_AT + 33);
  return h;
}

/**
 * Signs a client event stream the way SigV4 `STREAMING-AWS4-HMAC-SHA256-EVENTS` requires
 * (protocols.md §4.7), and frames each signed event (§4.6): every call to `frame` wraps one
 * encoded inner message in an outer message with `:date` and `:chunk-signature` headers,
 * whose signature chains from the previous one, starting at the request's seed signature.
 *
 * Produces the same bytes as the SDK's `EventSigningTransformStream` with `SignatureV4`
 * for the same inputs, with one allocation and three native hash calls per event; the
 * signing key is derived once per UTC day, the date strings once per second.
 */
export class EventSigner {
  private prior: string;
  private keyDay = '';
  private key: Buffer = Buffer.alloc(0);
  /** The day's key as pads, when one-shot hashing is available and the scope is ASCII. */
  private padded: PaddedHmac | undefined;
  private second = -1;
  /** `AWS4-HMAC-SHA256-PAYLOAD\n<amzDate>\n<scope>\n` for the current second. */
  private stringToSignHead = '';
  private readonly head = outerHead();
  private readonly dateHeader = this.head.subarray(DATE_AT, DATE_AT + 15);
  private headTotal = -1;
  private dateMs = -1;
  private dateHash = '';

  /**
   * @param secretAccessKey the request's secret key
   * @param region the credential scope's region (as in the request's `Authorization`)
   * @param service the credential scope's service (`lex`)
   * @param seedSignature the request's own signature, hex
   */
  constructor(
    private readonly secretAccessKey: string,
    private readonly region: string,
    private readonly service: string,
    seedSignature: string,
  ) {
    this.prior = seedSignature;
  }

  /** The signature of the last event framed (hex), or the seed. */
  get priorSignature(): string {
    return this.prior;
  }

  /**
   * Wraps `inner` (an encoded event message, or empty for the end-of-stream frame) in a
   * signed outer message dated `dateMs` (epoch milliseconds).
   */
  frame(inner: Uint8Array, dateMs: number): Buffer {
    const h = this.head;
    const total = HEAD_BYTES + inner.length + TRAILER_BYTES;
    if (total !== this.headTotal) {
      this.headTotal = total;
      h.writeUInt32BE(total, 0);
      h.writeUInt32BE(crc32(h.subarray(0, 8)), 8);
    }
    if (dateMs !== this.dateMs) {
      this.dateMs = dateMs;
      h.writeUInt32BE(Math.floor(dateMs / 0x1_0000_0000), DATE_AT + 7);
      h.writeUInt32BE(dateMs >>> 0, DATE_AT + 11);
      this.dateHash = sha256Hex(this.dateHeader);
    }
    this.sign(dateMs, sha256Hex(inner)).copy(h, SIGNATURE_AT);
    const out = Buffer.allocUnsafe(total);
    h.copy(out, 0);
    out.set(inner, HEAD_BYTES);
    out.writeUInt32BE(crc32(inner, crc32(h)), total - TRAILER_BYTES);
    return out;
  }

  private sign(dateMs: number, payloadHash: string): Buffer {
    const second = Math.floor(dateMs / 1000);
    if (second !== this.second) this.newSecond(second);
    const stringToSign = `${this.stringToSignHead}${this.prior}\n${this.dateHash}\n${payloadHash}`;
    const signature = this.padded ? this.padded.digest(stringToSign) : createHmac('sha256', this.key).update(stringToSign).digest();
    this.prior = signature.toString('hex');
    return signature;
  }

  private newSecond(second: number): void {
    this.second = second;
    // YYYYMMDDTHHMMSSZ, as SigV4 writes dates.
    const amzDate = new Date(second * 1000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    if (day !== this.keyDay) {
      this.keyDay = day;
      this.key = signingKey(this.secretAccessKey, day, this.region, this.service);
      this.padded = undefined;
    }
    this.stringToSignHead = `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${day}/${this.region}/${this.service}/aws4_request\n`;
    // Hex signatures and hashes follow the head: the whole string is ASCII when the head is.
    // (A character above U+007F takes more than one byte in UTF-8.)
    const ascii = Buffer.byteLength(this.stringToSignHead) === this.stringToSignHead.length;
    if (typeof oneShotHash === 'function' && ascii) this.padded ??= new PaddedHmac(this.key);
    else this.padded = undefined;
  }
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The SigV4 signing key for a day (`yyyymmdd`), region and service. */
export function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}
