import type { WebSocket } from 'ws';
import { FrameAssembler } from '../../audio/framer.js';
import { frameBytes } from '../../audio/pcm.js';
import type { CloseSpec } from '../../call/close-codes.js';
import { parseJsonObject } from '../json-message.js';
import { SocketWriter } from '../socket-writer.js';
import type { CallHandlers, LiveEvents, TransportLimits, WireTransport } from '../transport.js';
import { VONAGE_CLEAR, vonageNotify } from '../vonage/protocol.js';
import { parseBrowserMessage, SCRIPT_UNAVAILABLE, type ScriptAnswer } from './protocol.js';

/**
 * A browser call after its opening message: Vonage's binary L16 and JSON control, plus live
 * events on the same socket (`events`) and recognition scripts for the embedded emulator.
 */
export class BrowserTransport implements WireTransport {
  readonly platform = 'browser';
  readonly events: LiveEvents;
  private readonly assembler: FrameAssembler;
  private readonly frameBytes: number;
  private readonly out: SocketWriter;
  private session: CallHandlers | undefined;
  /** Hands a frame to the session (one function for the call, not one per message). */
  private readonly toSession = (frame: Int16Array): void => this.session?.onAudio(frame);

  constructor(
    ws: WebSocket,
    readonly rateHz: number,
    maxBufferedBytes: number,
    private readonly script: ((transcripts: string[]) => void) | undefined,
    onClose?: (spec: CloseSpec) => void,
    /** Transcripts of the opening message, queued once the session exists. */
    private pending?: string[],
    private readonly limits?: TransportLimits,
  ) {
    this.frameBytes = frameBytes(rateHz);
    this.assembler = new FrameAssembler(this.frameBytes);
    this.out = new SocketWriter(ws, maxBufferedBytes, onClose);
    this.events = { sendEvent: (event) => this.out.sendControl(JSON.stringify(event)) };
  }

  get handlers(): CallHandlers | undefined {
    return this.session;
  }

  /** The session, once the call's settings passed: the opening message's script is queued now. */
  set handlers(h: CallHandlers | undefined) {
    this.session = h;
    const pending = this.pending;
    this.pending = undefined;
    if (h && pending) this.scriptRecognition(pending);
  }

  /** Queues transcripts for the next utterances and tells the page whether that worked. */
  scriptRecognition(transcripts: string[]): void {
    if (!this.script) return this.answer({ type: 'script.refused', reason: SCRIPT_UNAVAILABLE });
    this.script(transcripts);
    this.answer({ type: 'script.accepted', transcripts: transcripts.length });
  }

  private answer(a: ScriptAnswer): void {
    this.events.sendEvent(a);
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    const h = this.handlers;
    if (!h || this.out.isClosed) return;
    if (isBinary) {
      this.limits?.audio((data.length / this.frameBytes) * 20);
      return this.assembler.push(data, this.toSession);
    }
    this.limits?.control();
    const msg = parseBrowserMessage(parseJsonObject(data));
    switch (msg.type) {
      case 'dtmf':
        return h.onDtmf(msg.digit);
      case 'notify':
        if (msg.name) h.onMark(msg.name);
        return;
      case 'script':
        return this.scriptRecognition(msg.transcripts);
      case 'script-invalid':
        return this.answer({ type: 'script.refused', reason: msg.reason });
      case 'connected': // never re-read as configuration
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
