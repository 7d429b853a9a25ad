import { WebSocket } from 'ws';
import { frameBytes } from '../audio/pcm.js';
import { ReplyCollector, type HeardReply } from './reply-collector.js';

export type { HeardReply };

/** Options for a simulated Vonage call. */
export interface VonagePhoneOptions {
  rateHz: number;
  /** NCCO `headers`, flattened into the first message as Vonage does. */
  headers: Record<string, unknown>;
  /** Upgrade `Authorization` header (Vonage's websocket `authorization` option). */
  authorization?: string;
  /** Echo notify marks like Vonage (default true). */
  echoMarks?: boolean;
  /** Extra CA certificate for wss:// (a self-signed test proxy). */
  ca?: string | Buffer;
}

/**
 * A simulated Vonage Voice API call speaking the real WebSocket protocol (protocols.md §1):
 * `websocket:connected` with the NCCO headers, binary 20 ms PCM frames, `websocket:dtmf`,
 * and the answers to `clear` (`websocket:cleared`) and `notify` (`websocket:notify`).
 */
export class VonagePhone {
  private readonly replies = new ReplyCollector();
  readonly controls: { at: number; msg: Record<string, unknown>; frameIndex: number }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly frameBytes: number;

  private constructor(
    readonly ws: WebSocket,
    readonly opts: VonagePhoneOptions,
  ) {
    this.frameBytes = frameBytes(opts.rateHz);
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer, isBinary) => (isBinary ? this.replies.frame(data) : this.onControl(data.toString())));
  }

  /** Opens the call and sends `websocket:connected`. Rejects when the upgrade is refused (with the HTTP status). */
  static connect(url: string, opts: VonagePhoneOptions): Promise<VonagePhone> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: opts.authorization ? { authorization: opts.authorization } : {}, ...(opts.ca ? { ca: opts.ca } : {}) });
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
      ws.once('open', () => {
        const phone = new VonagePhone(ws, opts);
        ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': `audio/l16;rate=${opts.rateHz}`, ...opts.headers }));
        resolve(phone);
      });
    });
  }

  /** Sends PCM16 as 20 ms frames (the last one zero-padded), as fast as the socket takes them. */
  sendAudio(pcm: Int16Array | Buffer): void {
    const bytes = Buffer.isBuffer(pcm) ? pcm : Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    for (let off = 0; off < bytes.length; off += this.frameBytes) {
      let frame = bytes.subarray(off, off + this.frameBytes);
      if (frame.length < this.frameBytes) frame = Buffer.concat([frame, Buffer.alloc(this.frameBytes - frame.length)]);
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true });
    }
  }

  /** Sends `ms` of digital silence. */
  sendSilence(ms: number): void {
    this.sendAudio(Buffer.alloc(Math.round((ms / 20) * this.frameBytes)));
  }

  /** One DTMF key as `websocket:dtmf`. */
  sendDtmf(digit: string, durationMs = 200): void {
    this.ws.send(JSON.stringify({ event: 'websocket:dtmf', digit, duration: durationMs }));
  }

  /** Sends a raw message (tests of malformed input). */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Every binary frame received, with its arrival time. */
  get frames(): { at: number; data: Buffer }[] {
    return this.replies.frames;
  }

  /** Resolves with the next complete reply (ended by a playout mark). */
  nextReply(): Promise<HeardReply> {
    return this.replies.next();
  }

  /** Resolves once at least `n` frames have arrived since the phone connected. */
  waitForFrames(n: number): Promise<void> {
    return this.replies.waitForFrames(n);
  }

  /** Control messages received with `action` (e.g. `clear`). */
  actions(action: string): { at: number; msg: Record<string, unknown>; frameIndex: number }[] {
    return this.controls.filter((c) => c.msg.action === action);
  }

  hangUp(): void {
    this.ws.close(1000);
  }

  private onControl(text: string): void {
    const msg = JSON.parse(text) as Record<string, unknown>;
    this.controls.push({ at: performance.now(), msg, frameIndex: this.frames.length });
    if (msg.action === 'clear') {
      this.replies.cleared();
      this.ws.send(JSON.stringify({ event: 'websocket:cleared' }));
    } else if (msg.action === 'notify') {
      if (this.opts.echoMarks !== false) this.ws.send(JSON.stringify({ event: 'websocket:notify', payload: msg.payload }));
      this.replies.marked(String((msg.payload as { name?: string } | undefined)?.name));
    }
  }
}
