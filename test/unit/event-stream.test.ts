import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '@smithy/util-utf8';
import { codec, encodeDateHeader, MessageSplitter } from '../../src/emulator/event-stream.js';
import { eventSignature } from '../../src/emulator/sigv4.js';

// protocols.md §4.6 and §4.7 test vectors.
const VECTOR =
  '0000007100000054cd9683fb0b3a6576656e742d7479706507000e54657874496e7075744576656e74' +
  '0d3a6d6573736167652d747970650700056576656e740d3a636f6e74656e742d7479706507001061' +
  '70706c69636174696f6e2f6a736f6e7b2274657874223a226869227d87c44d4d';

function vectorMessage(): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: 'TextInputEvent' },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8('{"text":"hi"}'),
  });
}

describe('event-stream framing', () => {
  it('encodes the §4.6 test vector byte for byte', () => {
    expect(Buffer.from(vectorMessage()).toString('hex')).toBe(VECTOR);
  });

  it('splits messages that straddle chunk boundaries', () => {
    const one = Buffer.from(VECTOR, 'hex');
    const two = Buffer.concat([one, one]);
    const s = new MessageSplitter();
    expect(s.push(two.subarray(0, 50))).toHaveLength(0);
    const got = s.push(two.subarray(50, 150));
    expect(got).toHaveLength(1);
    expect(s.push(two.subarray(150))).toHaveLength(1);
    expect(Buffer.from(got[0].body).toString()).toBe('{"text":"hi"}');
  });

  it('rejects a length prefix shorter than the prelude', () => {
    expect(() => new MessageSplitter().push(Buffer.from('0000000500000000', 'hex'))).toThrow(RangeError);
  });
});

describe('event chunk signature', () => {
  it('reproduces the §4.7 test vector', () => {
    const date = new Date('2024-01-01T00:00:00Z');
    const dateHeader = encodeDateHeader(date);
    expect(Buffer.from(dateHeader).toString('hex')).toBe('053a64617465080000018cc251f400');
    const sig = eventSignature('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'us-east-1', date, '0'.repeat(64), dateHeader, vectorMessage());
    expect(sig).toBe('c5e34d86bded168185e37773708f6b639404b4a70d0ecd915499f106bef9ecad');
  });
});
