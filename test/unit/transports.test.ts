import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { VonageTransport } from '../../src/transports/vonage/vonage-transport.js';
import { TwilioTransport } from '../../src/transports/twilio/twilio-transport.js';
import { BrowserTransport } from '../../src/transports/browser/browser-transport.js';
import { FrameAssembler } from '../../src/audio/framer.js';

/** The part of a ws WebSocket the transports use, with a settable bufferedAmount. */
function fakeSocket(bufferedAmount: number) {
  const sent: unknown[] = [];
  const closes: [number, string][] = [];
  const ws = {
    OPEN: 1,
    CONNECTING: 0,
    readyState: 1,
    bufferedAmount,
    send: (d: unknown) => sent.push(d),
    close: (code: number, reason: string) => {
      closes.push([code, reason]);
      ws.readyState = 3;
    },
  };
  return { ws: ws as unknown as WebSocket, sent, closes };
}

describe.each([
  ['vonage', (ws: WebSocket) => new VonageTransport(ws, 8000, 16384)],
  ['twilio', (ws: WebSocket) => new TwilioTransport(ws, 'MZ1', 16384)],
  ['browser', (ws: WebSocket) => new BrowserTransport(ws, 8000, 16384, undefined)],
] as const)('%s transport: slow consumers', (_name, make) => {
  it('sends while the socket keeps up', () => {
    const { ws, sent, closes } = fakeSocket(1000);
    expect(make(ws).sendFrame(Buffer.alloc(320))).toBe(true);
    expect(sent).toHaveLength(1);
    expect(closes).toEqual([]);
  });

  it('closes with 4006 and drops the frame once MAX_BUFFERED_BYTES are waiting', () => {
    const { ws, sent, closes } = fakeSocket(16385);
    const t = make(ws);
    expect(t.sendFrame(Buffer.alloc(320))).toBe(false);
    expect(sent).toHaveLength(0);
    expect(closes).toEqual([[4006, 'slow consumer']]);
    expect(t.sendFrame(Buffer.alloc(320))).toBe(false); // closed for good
  });
});

describe('FrameAssembler', () => {
  it('re-frames odd message sizes without shifting samples', () => {
    const a = new FrameAssembler(4);
    const out: number[][] = [];
    a.push(Buffer.from([1, 0, 2]), (f) => out.push([...f]));
    a.push(Buffer.from([0, 3, 0, 4, 0, 5]), (f) => out.push([...f]));
    expect(out).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('Twilio stop', () => {
  it('closes the stream once with 1000 and ends the session once, through the owner (regression: it hung up twice)', () => {
    const { ws, closes } = fakeSocket(0);
    let ended = 0;
    const events: string[] = [];
    const t = new TwilioTransport(ws, 'MZ1', 16384, () => ended++);
    t.handlers = { onAudio: () => events.push('audio'), onDtmf: (d) => events.push(`dtmf:${d}`), onMark: (n) => events.push(`mark:${n}`) };
    const stop = Buffer.from(JSON.stringify({ event: 'stop', sequenceNumber: '5', streamSid: 'MZ1', stop: { callSid: 'CA1' } }));
    t.onMessage(stop, false);
    t.onMessage(stop, false);
    t.close({ code: 1000, reason: 'dialog ended' });
    expect(closes).toEqual([[1000, 'stream stopped']]);
    expect(ended).toBe(1);
    expect(events).toEqual([]);
  });
});
