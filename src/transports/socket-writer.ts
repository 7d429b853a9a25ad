import type { WebSocket } from 'ws';
import { CloseCodes, closeReason, type CloseSpec } from '../call/close-codes.js';

/**
 * The socket side every transport shares: sends only while open, closes once with a
 * documented code, and protects against slow readers (`MAX_BUFFERED_BYTES` -> 4006).
 */
export class SocketWriter {
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly maxBufferedBytes: number,
    private readonly onClose?: (spec: CloseSpec) => void,
  ) {}

  /** True once `close` ran. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends audio; false (and 4006) when the reader has fallen behind, false when closed. */
  sendAudio(data: Buffer | string, binary: boolean): boolean {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.close(CloseCodes.SLOW_CONSUMER);
      return false;
    }
    this.ws.send(data, { binary });
    return true;
  }

  /** Sends a control message (never refused for buffering: it is small and must arrive). */
  sendControl(text: string): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  /** Closes the socket once with `spec`; then tells the owner (`onClose`). */
  close(spec: CloseSpec, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(spec.code, closeReason(spec, detail));
    this.onClose?.(spec);
  }
}
