import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { fromUtf8 } from '@smithy/util-utf8';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { codec, encodeDateHeader } from '../../src/emulator/event-stream.js';
import { eventSignature } from '../../src/emulator/sigv4.js';
import { crc32, EventSigner, tableCrc32 } from '../../src/bots/lexv2/event-signer.js';

// protocols.md §4.6 and §4.7 test vectors.
const VECTOR_MESSAGE = Buffer.from(
  '0000007100000054cd9683fb0b3a6576656e742d7479706507000e54657874496e7075744576656e74' +
    '0d3a6d6573736167652d747970650700056576656e740d3a636f6e74656e742d7479706507001061' +
    '70706c69636174696f6e2f6a736f6e7b2274657874223a226869227d87c44d4d',
  'hex',
);
const VECTOR_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const VECTOR_DATE = Date.parse('2024-01-01T00:00:00Z');
const VECTOR_SIGNATURE = 'c5e34d86bded168185e37773708f6b639404b4a70d0ecd915499f106bef9ecad';

/** The signed outer message as the SDK's EventSigningTransformStream encodes it. */
function sdkOuter(date: Date, signatureHex: string, inner: Uint8Array): Uint8Array {
  return codec.encode({
    headers: { ':date': { type: 'timestamp', value: date }, ':chunk-signature': { type: 'binary', value: Buffer.from(signatureHex, 'hex') } },
    body: inner,
  });
}

/** The SDK's own event signer (SignatureV4), as a LexRuntimeV2Client builds it. */
async function sdkSigner(secretAccessKey: string, region: string) {
  const client = new LexRuntimeV2Client({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey } });
  const signer = (await (client.config as unknown as { signer: () => Promise<unknown> }).signer()) as {
    sign(m: { message: { headers: object; body: Uint8Array }; priorSignature: string }, o: { signingDate: Date }): Promise<{ signature: string }>;
  };
  client.destroy();
  return (date: Date, prior: string, inner: Uint8Array) =>
    signer.sign({ message: { headers: { ':date': { type: 'timestamp', value: date } }, body: inner }, priorSignature: prior }, { signingDate: date }).then((r) => r.signature);
}

describe('EventSigner', () => {
  it('reproduces the §4.7 test vector and frames it as §4.6 says', () => {
    const signer = new EventSigner(VECTOR_SECRET, 'us-east-1', 'lex', '0'.repeat(64));
    const frame = signer.frame(VECTOR_MESSAGE, VECTOR_DATE);
    expect(signer.priorSignature).toBe(VECTOR_SIGNATURE);
    expect(Buffer.from(frame).equals(Buffer.from(sdkOuter(new Date(VECTOR_DATE), VECTOR_SIGNATURE, VECTOR_MESSAGE)))).toBe(true);
    // The codec checks both CRCs while decoding.
    const decoded = codec.decode(frame);
    expect(decoded.headers[':date'].value).toEqual(new Date(VECTOR_DATE));
    expect(Buffer.from(decoded.headers[':chunk-signature'].value as Uint8Array).toString('hex')).toBe(VECTOR_SIGNATURE);
    expect(Buffer.from(decoded.body).equals(VECTOR_MESSAGE)).toBe(true);
  });

  it('chains signatures exactly as the SDK signer and the emulator do, across seconds, days and sizes', async () => {
    const sdk = await sdkSigner(VECTOR_SECRET, 'eu-west-2');
    const event = fc.record({ gapMs: fc.integer({ min: 0, max: 3_000_000 }), body: fc.uint8Array({ maxLength: 700 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), fc.integer({ min: Date.parse('2026-11-22T23:58:00Z'), max: Date.parse('2026-11-23T00:02:00Z') }), async (events, start) => {
        const seed = 'ab'.repeat(32);
        const signer = new EventSigner(VECTOR_SECRET, 'eu-west-2', 'lex', seed);
        let prior = seed;
        let t = start;
        for (const e of events) {
          t += e.gapMs;
          const frame = signer.frame(e.body, t);
          const expected = await sdk(new Date(t), prior, e.body);
          expect(eventSignature(VECTOR_SECRET, 'eu-west-2', new Date(t), prior, encodeDateHeader(new Date(t)), e.body)).toBe(expected);
          expect(Buffer.from(frame).toString('hex')).toBe(Buffer.from(sdkOuter(new Date(t), expected, e.body)).toString('hex'));
          prior = expected;
        }
        // The end-of-stream frame: an empty payload, still signed.
        t += 20;
        const end = signer.frame(new Uint8Array(0), t);
        expect(Buffer.from(end).toString('hex')).toBe(Buffer.from(sdkOuter(new Date(t), await sdk(new Date(t), prior, new Uint8Array(0)), new Uint8Array(0))).toString('hex'));
      }),
      { numRuns: 60 },
    );
  });

  it('signs with a non-ASCII scope as HMAC over UTF-8 does (the general path)', () => {
    const signer = new EventSigner(VECTOR_SECRET, 'ünïcode-1', 'lex', '0'.repeat(64));
    const f = codec.decode(signer.frame(VECTOR_MESSAGE, VECTOR_DATE));
    const date = new Date(VECTOR_DATE);
    expect(Buffer.from(f.headers[':chunk-signature'].value as Uint8Array).toString('hex')).toBe(
      eventSignature(VECTOR_SECRET, 'ünïcode-1', date, '0'.repeat(64), encodeDateHeader(date), VECTOR_MESSAGE),
    );
  });

  it('signs two events in the same millisecond with distinct chained signatures', () => {
    const signer = new EventSigner(VECTOR_SECRET, 'us-east-1', 'lex', '0'.repeat(64));
    const a = codec.decode(signer.frame(fromUtf8('a'), VECTOR_DATE));
    const b = codec.decode(signer.frame(fromUtf8('a'), VECTOR_DATE));
    const hex = (m: typeof a) => Buffer.from(m.headers[':chunk-signature'].value as Uint8Array).toString('hex');
    expect(hex(a)).not.toBe(hex(b));
    expect(hex(b)).toBe(eventSignature(VECTOR_SECRET, 'us-east-1', new Date(VECTOR_DATE), hex(a), encodeDateHeader(new Date(VECTOR_DATE)), fromUtf8('a')));
  });
});

describe('crc32', () => {
  it('is zlib CRC-32 and continues a running value', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
    expect(crc32(Buffer.from('6789'), crc32(Buffer.from('12345')))).toBe(0xcbf43926);
    expect(crc32(VECTOR_MESSAGE.subarray(0, 8))).toBe(0xcd9683fb);
  });

  it('has a JavaScript fallback equal to zlib for older Node releases', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 50 }), (a, b) => {
        expect(tableCrc32(a)).toBe(zlibCrc32(a));
        expect(tableCrc32(b, tableCrc32(a))).toBe(zlibCrc32(Buffer.concat([a, b])));
      }),
    );
  });
});
