import type { WebSocket } from 'ws';
import { FrameAssembler } from '../../audio/framer.js';
import { mulawDecode, mulawEncode } from '../../audio/mulaw.js';
import { CloseCodes, type CloseSpec } from '../../call/close-codes.js';
import { parseJsonObject } from '../json-message.js';
import { SocketWriter } from '../socket-writer.js';
import type { CallHandlers, TransportLimits, WireTransport } from '../transport.js';
import { parseTwilioMessage, protocolViolation, twilioClear, twilioMark, twilioMedia } from './protocol.js';

/**
 * Twilio Media Streams after `start`: µ-law 8 kHz in base64 JSON both ways, `mark` for
 * playout, `clear` for barge-in. The session sees 8 kHz PCM16 like any other call.
 */
export class TwilioTransport implements WireTransport {
  readonly platform = 'twilio';
  readonly rateHz = 8000;
  private readonly assembler = new FrameAssembler(320);
  private readonly ulawOut = new Uint8Array(160);
  private readonly out: SocketWriter;
  handlers: CallHandlers | undefined;
  /** Hands a frame to the session (one function for the call, not one per message). */
  private readonly toSession = (frame: Int16Array): void => this.handlers?.onAudio(frame);

  constructor(
    ws: WebSocket,
    readonly streamSid: string,
    maxBufferedBytes: number,
    onClose?: (spec: CloseSpec) => void,
    private readonly limits?: TransportLimits,
  ) {
    this.out = new SocketWriter(ws, maxBufferedBytes, onClose);
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    const h = this.handlers;
    if (!h || this.out.isClosed) return;
    if (isBinary) throw protocolViolation('binary message');
    const msg = parseTwilioMessage(parseJsonObject(data));
    if ('streamSid' in msg && msg.type !== 'start' && msg.streamSid !== this.streamSid) throw protocolViolation('wrong streamSid');
    if (msg.type !== 'media') this.limits?.control();
    switch (msg.type) {
      case 'media':
        // µ-law: one byte per 8 kHz sample.
        this.limits?.audio(msg.payload.length / 8);
        if (msg.track && msg.track !== 'inbound') return; // only the caller's side
        return this.assembler.pushSamples(mulawDecode(msg.payload), this.toSession);
      case 'dtmf':
        return h.onDtmf(msg.digit);
      case 'mark':
        return h.onMark(msg.name);
      case 'stop':
        // The caller hung up: closing ends the session once, through the connection.
        return this.close(CloseCodes.STREAM_STOPPED);
      case 'start':
        throw protocolViolation('second start');
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
    if (this.out.isClosed) return false;
    const aligned = frame.byteOffset % 2 === 0 ? frame : Buffer.from(frame);
    const pcm = new Int16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 1);
    return this.out.sendAudio(twilioMedia(this.streamSid, mulawEncode(pcm, this.ulawOut)), false);
  }

  clear(): void {
    this.out.sendControl(twilioClear(this.streamSid));
  }

  mark(name: string): void {
    this.out.sendControl(twilioMark(this.streamSid, name));
  }

  close(spec: CloseSpec, detail?: string): void {
    this.out.close(spec, detail);
  }
}
