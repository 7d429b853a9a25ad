import type { WebSocket } from 'ws';
import { FrameAssembler } from '../../audio/framer.js';
import { frameBytes } from '../../audio/pcm.js';
import type { CloseSpec } from '../../call/close-codes.js';
import { parseJsonObject } from '../json-message.js';
import { SocketWriter } from '../socket-writer.js';
import type { CallHandlers, TransportLimits, WireTransport } from '../transport.js';
import { parseVonageMessage, VONAGE_CLEAR, vonageNotify } from './protocol.js';

/** Vonage Voice WebSocket after `websocket:connected`: binary PCM both ways, JSON control. */
export class VonageTransport implements WireTransport {
  readonly platform = 'vonage';
  private readonly assembler: FrameAssembler;
  private readonly frameBytes: number;
  private readonly out: SocketWriter;
  handlers: CallHandlers | undefined;
  /** Hands a frame to the session (one function for the call, not one per message). */
  private readonly toSession = (frame: Int16Array): void => this.handlers?.onAudio(frame);

  constructor(
    ws: WebSocket,
    readonly rateHz: number,
    maxBufferedBytes: number,
    onClose?: (spec: CloseSpec) => void,
    private readonly limits?: TransportLimits,
  ) {
    this.frameBytes = frameBytes(rateHz);
    this.assembler = new FrameAssembler(this.frameBytes);
    this.out = new SocketWriter(ws, maxBufferedBytes, onClose);
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    const h = this.handlers;
    if (!h || this.out.isClosed) return;
    if (isBinary) {
      this.limits?.audio((data.length / this.frameBytes) * 20);
      return this.assembler.push(data, this.toSession);
    }
    this.limits?.control();
    const msg = parseVonageMessage(parseJsonObject(data));
    switch (msg.type) {
      case 'dtmf':
        return h.onDtmf(msg.digit);
      case 'notify':
        if (msg.name) h.onMark(msg.name);
        return;
      case 'connected': // never re-read as configuration (the original's bug)
      case 'cleared':
      case 'unknown':
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  sendFrame(frame: Buffer): boolean {
    return this.out.sendAudio(frame, true);
  }

  clear(): void {
    this.out.sendControl(VONAGE_CLEAR);
  }

  mark(name: string): void {
    this.out.sendControl(vonageNotify(name));
  }

  close(spec: CloseSpec, detail?: string): void {
    this.out.close(spec, detail);
  }
}
