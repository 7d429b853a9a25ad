import type { WebSocket } from 'ws';
import type { CallHandlers, CallTransport } from '../transport.js';
import { FrameAssembler } from '../transport.js';
import { parseTwilioMessage, TwilioProtocolError, twilioClear, twilioMark, twilioMedia } from './protocol.js';
import { CloseCodes, closeReason, type CloseSpec } from '../../session/close-codes.js';
import { asBytes } from '../../audio/pcm.js';
import { mulawDecode, mulawEncode } from '../../audio/mulaw.js';

/**
 * Twilio Media Streams after `start`: µ-law 8 kHz in base64 JSON both ways, `mark` for
 * playout, `clear` for barge-in. The session sees 8 kHz PCM16 like any other call.
 */
export class TwilioTransport implements CallTransport {
  readonly platform = 'twilio' as const;
  readonly rateHz = 8000;
  private readonly assembler = new FrameAssembler(320);
  private readonly ulawOut = new Uint8Array(160);
  private closed = false;
  handlers: CallHandlers | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly streamSid: string,
    private readonly maxBufferedBytes: number,
  ) {}

  /** Feeds one WebSocket message received after `start`. */
  onMessage(data: Buffer, isBinary: boolean): void {
    const h = this.handlers;
    if (!h || this.closed) return;
    if (isBinary) return this.close(CloseCodes.PROTOCOL_ERROR, 'binary message');
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString('utf8'));
    } catch {
      return this.close(CloseCodes.BAD_MESSAGE);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.close(CloseCodes.BAD_MESSAGE);
    let msg;
    try {
      msg = parseTwilioMessage(raw as Record<string, unknown>);
    } catch (err) {
      if (err instanceof TwilioProtocolError) return this.close(CloseCodes.PROTOCOL_ERROR, err.detail);
      throw err;
    }
    if ('streamSid' in msg && msg.type !== 'start' && msg.streamSid !== this.streamSid) return this.close(CloseCodes.PROTOCOL_ERROR, 'wrong streamSid');
    switch (msg.type) {
      case 'media':
        if (msg.track && msg.track !== 'inbound') return; // only the caller's side
        return this.assembler.push(asBytes(mulawDecode(msg.payload)), (f) => h.onAudio(f));
      case 'dtmf':
        return h.onDtmf(msg.digit);
      case 'mark':
        return h.onMark(msg.name);
      case 'stop':
        h.onHangup();
        return this.close(CloseCodes.STREAM_STOPPED);
      case 'start':
        return this.close(CloseCodes.PROTOCOL_ERROR, 'second start');
      case 'connected':
      case 'unknown':
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  sendFrame(frame: Buffer): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCodes.SLOW_CONSUMER);
      return false;
    }
    const aligned = frame.byteOffset % 2 === 0 ? frame : Buffer.from(frame);
    const pcm = new Int16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 1);
    this.ws.send(twilioMedia(this.streamSid, mulawEncode(pcm, this.ulawOut)));
    return true;
  }

  clear(): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(twilioClear(this.streamSid));
  }

  mark(name: string): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(twilioMark(this.streamSid, name));
  }

  close(spec: CloseSpec, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(spec.code, closeReason(spec, detail));
  }
}
