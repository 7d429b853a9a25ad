import type { WebSocket } from 'ws';
import type { CallHandlers, CallTransport } from '../transport.js';
import { FrameAssembler } from '../transport.js';
import { MalformedMessageError, parseVonageText, VONAGE_CLEAR, vonageNotify } from './protocol.js';
import { CloseCodes, closeReason, type CloseSpec } from '../../session/close-codes.js';
import { frameBytes } from '../../audio/pcm.js';

/** Vonage Voice WebSocket after `websocket:connected`: binary PCM both ways, JSON control. */
export class VonageTransport implements CallTransport {
  readonly platform = 'vonage' as const;
  private readonly assembler: FrameAssembler;
  private closed = false;
  handlers: CallHandlers | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly rateHz: number,
    private readonly maxBufferedBytes: number,
  ) {
    this.assembler = new FrameAssembler(frameBytes(rateHz));
  }

  /** Feeds one WebSocket message received after configuration. */
  onMessage(data: Buffer, isBinary: boolean): void {
    const h = this.handlers;
    if (!h || this.closed) return;
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
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCodes.SLOW_CONSUMER);
      return false;
    }
    this.ws.send(frame, { binary: true });
    return true;
  }

  clear(): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(VONAGE_CLEAR);
  }

  mark(name: string): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(vonageNotify(name));
  }

  close(spec: CloseSpec, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(spec.code, closeReason(spec, detail));
  }
}
