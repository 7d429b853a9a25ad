import net from 'node:net';
import { randomBytes } from 'node:crypto';

/** A WebSocket frame as received. */
export interface RawFrame {
  opcode: number;
  payload: Buffer;
}

/**
 * A hand-written WebSocket client over a plain TCP socket, for clients that misbehave in ways
 * the `ws` library will not: never answering a close frame, echoing another close code,
 * never reading, sending raw frames (invalid UTF-8, ping bursts).
 */
export class RawWsClient {
  readonly frames: RawFrame[] = [];
  /** Resolves when the TCP connection ends. */
  readonly ended: Promise<void>;
  private buf = Buffer.alloc(0);
  private upgraded = false;
  private onFrameWaiters: (() => void)[] = [];

  private constructor(
    readonly sock: net.Socket,
    private readonly autoReply: boolean,
  ) {
    this.ended = new Promise((resolve) => sock.once('close', () => resolve()));
    sock.on('error', () => undefined);
    sock.on('data', (d) => this.onData(d));
  }

  /** Opens `path` on 127.0.0.1:`port`; resolves with the client once the upgrade succeeded (rejects with the status line otherwise). */
  static connect(port: number, path: string, opts: { headers?: Record<string, string>; autoReply?: boolean } = {}): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      const client = new RawWsClient(sock, opts.autoReply ?? false);
      const key = randomBytes(16).toString('base64');
      const headers = { Host: `127.0.0.1:${port}`, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13', ...opts.headers };
      sock.write([`GET ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n'));
      client.upgradedCb = (statusLine) => (statusLine.includes(' 101 ') ? resolve(client) : reject(Object.assign(new Error(statusLine), { status: Number(statusLine.split(' ')[1]) })));
      sock.once('close', () => reject(new Error('closed before upgrade')));
    });
  }

  private upgradedCb: ((statusLine: string) => void) | undefined;

  /** Sends one masked frame (client frames must be masked). */
  sendFrame(opcode: number, payload: Buffer, fin = true): void {
    const mask = randomBytes(4);
    const len = payload.length;
    const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    head[0] = (fin ? 0x80 : 0) | opcode;
    if (len < 126) head[1] = 0x80 | len;
    else if (len < 65536) {
      head[1] = 0x80 | 126;
      head.writeUInt16BE(len, 2);
    } else {
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(len), 2);
    }
    const body = Buffer.from(payload);
    for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
    this.sock.write(Buffer.concat([head, mask, body]));
  }

  sendText(text: string | Buffer): void {
    this.sendFrame(1, Buffer.isBuffer(text) ? text : Buffer.from(text));
  }

  sendBinary(data: Buffer): void {
    this.sendFrame(2, data);
  }

  sendClose(code: number, reason = ''): void {
    const p = Buffer.alloc(2 + Buffer.byteLength(reason));
    p.writeUInt16BE(code, 0);
    p.write(reason, 2);
    this.sendFrame(8, p);
  }

  /** The close frame the server sent, if any. */
  get closeFrame(): { code: number; reason: string } | undefined {
    const f = this.frames.find((x) => x.opcode === 8);
    if (!f) return undefined;
    return { code: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005, reason: f.payload.subarray(2).toString() };
  }

  /** Resolves once a frame matching `pred` has arrived. */
  async waitFor(pred: (f: RawFrame) => boolean): Promise<RawFrame> {
    for (;;) {
      const f = this.frames.find(pred);
      if (f) return f;
      if (this.sock.destroyed) throw new Error('connection ended');
      await new Promise<void>((r) => {
        this.onFrameWaiters.push(r);
        this.sock.once('close', r);
      });
    }
  }

  destroy(): void {
    this.sock.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    if (!this.upgraded) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const statusLine = this.buf.subarray(0, this.buf.indexOf('\r\n')).toString();
      this.buf = this.buf.subarray(end + 4);
      this.upgraded = true;
      this.upgradedCb?.(statusLine);
    }
    for (;;) {
      if (this.buf.length < 2) return;
      const opcode = this.buf[0] & 0x0f;
      let len = this.buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buf.length < off + len) return;
      const payload = this.buf.subarray(off, off + len);
      this.buf = this.buf.subarray(off + len);
      this.frames.push({ opcode, payload });
      if (this.autoReply && opcode === 9) this.sendFrame(10, payload);
      const waiters = this.onFrameWaiters;
      this.onFrameWaiters = [];
      for (const w of waiters) w();
    }
  }
}
