import type { WebSocket } from 'ws';
import type { CallHandlers, CallTransport } from '../transport.js';
import { FrameAssembler } from '../../audio/framer.js';
import { MalformedMessageError, parseVonageText, VONAGE_CLEAR, vonageNotify } from './protocol.js';
import { CloseCodes, type CloseSpec } from '../../call/close-codes.js';
import { SocketWriter } from '../socket-writer.js';
import { frameBytes } from '../../audio/pcm.js';

/** Vonage Voice WebSocket after `websocket:connected`: binary PCM both ways, JSON control. */
export class VonageTransport implements CallTransport {
  readonly platform = 'vonage' as const;
  private readonly assembler: FrameAssembler;
  private readonly out: SocketWriter;
  handlers: CallHandlers | undefined;

  constructor(
    ws: WebSocket,
    readonly rateHz: number,
    maxBufferedBytes: number,
  ) {
    this.assembler = new FrameAssembler(frameBytes(rateHz));
    this.out = new SocketWriter(ws, maxBufferedBytes);
  }

  /** Feeds one WebSocket message received after configuration. */
  onMessage(data: Buffer, isBinary: boolean): void {
    const h = this.handlers;
    if (!h || this.out.isClosed) return;
    if (isBinary) return this.assembler.push(data, (f) => h.onAudio(f));
    let msg;
    try {
      msg = parseVonageText(data.toString('utf8'));
    } catch (err) {
      if (err instanceof MalformedMessageError) return this.close(CloseCodes.BAD_MESSAGE);
      throw err;
    }
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
