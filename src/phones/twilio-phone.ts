import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { mulawDecode, mulawEncode } from '../audio/mulaw.js';
import { ReplyCollector, type HeardReply } from './reply-collector.js';
import { twilioSignature } from '../transports/twilio/signature.js';

/** Options for a simulated Twilio Media Streams call. */
export interface TwilioPhoneOptions {
  /** `<Parameter>`s of the `<Stream>`: they arrive in `start.customParameters`. */
  customParameters: Record<string, string>;
  /** Sign the upgrade with X-Twilio-Signature over `url` (the wss:// URL Twilio would sign). */
  sign?: { authToken: string; url: string };
  /** A literal X-Twilio-Signature header (tests of bad signatures). */
  signature?: string;
  /** Extra upgrade headers. */
  headers?: Record<string, string>;
  /** Hold marks this long (ms) before echoing, as if audio were still playing; a `clear` returns them at once. */
  markDelayMs?: number;
  /** `start.accountSid` (default `ACxxxxxxxx`): the account a call update must be made with. */
  accountSid?: string;
}

/**
 * A simulated Twilio Media Streams call speaking the real protocol (protocols.md §2):
 * `connected`, `start` with customParameters, base64 µ-law `media` with string sequence
 * numbers, `dtmf`, `stop`; it echoes `mark`s (all pending marks at once on `clear`).
 */
export class TwilioPhone {
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  readonly controls: { at: number; msg: Record<string, unknown>; frameIndex: number }[] = [];
  /** Marks returned because of a clear (not played to the end). */
  readonly clearedMarks: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly replies = new ReplyCollector();
  private seq = 0;
  private chunk = 0;
  private pendingMarks = new Map<string, NodeJS.Timeout | undefined>();

  private constructor(
    readonly ws: WebSocket,
    readonly opts: TwilioPhoneOptions,
  ) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer) => this.onMessage(data.toString()));
  }

  /** Opens the stream and sends `connected` and `start`. Rejects with `status` when the upgrade is refused. */
  static connect(url: string, opts: TwilioPhoneOptions): Promise<TwilioPhone> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.sign) headers['x-twilio-signature'] = twilioSignature(opts.sign.authToken, opts.sign.url);
    if (opts.signature !== undefined) headers['x-twilio-signature'] = opts.signature;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
      ws.once('open', () => {
        const phone = new TwilioPhone(ws, opts);
        phone.sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
        phone.sendEvent('start', {
          start: {
            accountSid: opts.accountSid ?? 'ACxxxxxxxx',
            streamSid: phone.streamSid,
            callSid: phone.callSid,
            tracks: ['inbound'],
            mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
            customParameters: opts.customParameters,
          },
        });
        resolve(phone);
      });
    });
  }

  /** Sends 8 kHz PCM16 as 20 ms µ-law `media` messages. */
  sendAudio(pcm: Int16Array | Buffer): void {
    const samples = Buffer.isBuffer(pcm) ? new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength)) : pcm;
    for (let off = 0; off < samples.length; off += 160) {
      const frame = new Int16Array(160);
      frame.set(samples.subarray(off, off + 160));
      this.chunk++;
      this.sendEvent('media', { media: { track: 'inbound', chunk: String(this.chunk), timestamp: String(this.chunk * 20), payload: Buffer.from(mulawEncode(frame)).toString('base64') } });
    }
  }

  sendDtmf(digit: string): void {
    this.sendEvent('dtmf', { dtmf: { track: 'inbound_track', digit } });
  }

  /** Twilio's `stop` (the caller hung up). */
  stop(): void {
    this.sendEvent('stop', { stop: { accountSid: 'ACxxxxxxxx', callSid: this.callSid } });
  }

  /** Any JSON or raw text (tests of malformed input). */
  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Sends `event` with this stream's streamSid and the next sequence number. */
  sendEvent(event: string, body: Record<string, unknown>, streamSid = this.streamSid): void {
    this.sendJson({ event, sequenceNumber: String(++this.seq), ...body, streamSid });
  }

  get frames(): { at: number; data: Buffer }[] {
    return this.replies.frames;
  }

  nextReply(): Promise<HeardReply> {
    return this.replies.next();
  }

  waitForFrames(n: number): Promise<void> {
    return this.replies.waitForFrames(n);
  }

  events(event: string): { at: number; msg: Record<string, unknown>; frameIndex: number }[] {
    return this.controls.filter((c) => c.msg.event === event);
  }

  hangUp(): void {
    this.ws.close(1000);
  }

  private sendJson(m: Record<string, unknown>): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(m));
  }

  private onMessage(text: string): void {
    const msg = JSON.parse(text) as Record<string, unknown>;
    if (msg.event === 'media') {
      const ulaw = Buffer.from(String((msg.media as { payload?: string }).payload), 'base64');
      const pcm = mulawDecode(ulaw);
      this.replies.frame(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      return;
    }
    this.controls.push({ at: performance.now(), msg, frameIndex: this.frames.length });
    if (msg.event === 'clear') {
      // Twilio returns every pending mark at once: those prompts did not finish.
      for (const [name, timer] of this.pendingMarks) {
        clearTimeout(timer);
        this.clearedMarks.push(name);
        this.sendEvent('mark', { mark: { name } });
      }
      this.pendingMarks.clear();
      this.replies.cleared();
    } else if (msg.event === 'mark') {
      const name = String((msg.mark as { name?: string }).name);
      const played = () => {
        this.pendingMarks.delete(name);
        this.sendEvent('mark', { mark: { name } });
        this.replies.marked(name);
      };
      if (!this.opts.markDelayMs) return played();
      this.pendingMarks.set(name, setTimeout(played, this.opts.markDelayMs));
    }
  }
}
