import { WebSocket } from 'ws';
import { synthesize } from '../src/audio/speech-synth.js';

/** One turn as the benchmark caller measured it. */
export interface TurnSample {
  /** First reply frame received − last speech frame sent, ms. */
  gapMs: number;
  frames: number;
  /** Inter-arrival deviation from 20 ms of each frame after the pacer's initial lead, ms. */
  jitterMs: number[];
  /** Gaps over 60 ms inside the reply. */
  underruns: number;
}

/** The caller's script: 300 ms silence, 1.5 s utterance with a 300 ms pause, then silence until the reply ends. */
export function turnAudio(rateHz: number): Buffer {
  const fb = rateHz / 50;
  const speech = synthesize('order some lovely flowers please', rateHz);
  const part = (ms: number) => speech.subarray(0, Math.round((ms * rateHz) / 1000));
  const silence = (ms: number) => new Int16Array(Math.round((ms * rateHz) / 1000));
  const parts = [silence(300), part(600), silence(300), part(600)];
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Int16Array(Math.ceil(n / fb) * fb);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return Buffer.from(out.buffer);
}

/** What a caller measured against an echoing server (the floor): one frame back per frame sent. */
export interface EchoStats {
  sent: number;
  received: number;
  /** Send-to-echo time of each frame, ms. */
  latencyMs: number[];
  /** Inter-arrival deviation from 20 ms of echoed frames, ms. */
  jitterMs: number[];
}

/**
 * A benchmark caller speaking the Vonage protocol: sends one 20 ms frame per tick (the
 * generator's real-time clock), keeps only arrival times of reply frames, echoes notify.
 * With `echo` set it talks to a server that returns every frame (the floor): the same
 * script repeats with the connector's turn-cycle silence in between, and each frame's
 * round trip is measured instead of turns.
 */
export class BenchCall {
  readonly turns: TurnSample[] = [];
  failed = 0;
  closedCode: number | undefined;
  /** Set by `open` when echo mode is on. */
  echo: (EchoStats & { pauseFrames: number }) | undefined;
  private sentAt: number[] = [];
  private sentHead = 0;
  private lastEcho = 0;
  private pauseLeft = 0;
  private readonly frameBytes: number;
  private readonly silence: Buffer;
  private pos = 0;
  private speaking = true;
  /** Frames of silence before the first turn (calls are spread over a turn cycle). */
  private startDelayFrames = 0;
  private lastSpeechAt = 0;
  private arrivals: number[] = [];
  private awaitingReply = false;
  private waitStart = 0;

  private constructor(
    private readonly ws: WebSocket,
    readonly rateHz: number,
    private readonly script: Buffer,
    private readonly leadFrames: number,
    private readonly replyTimeoutMs: number,
  ) {
    this.frameBytes = (rateHz / 50) * 2;
    this.silence = Buffer.alloc(this.frameBytes);
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return this.onText(data.toString());
      if (this.echo) return this.onEcho();
      this.arrivals.push(performance.now());
    });
    ws.on('close', (code) => (this.closedCode = code));
  }

  static open(url: string, rateHz: number, headers: Record<string, unknown>, script: Buffer, leadFrames: number, replyTimeoutMs: number, startDelayMs = 0): Promise<BenchCall> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('error', reject);
      ws.once('open', () => {
        ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': `audio/l16;rate=${rateHz}`, ...headers }));
        const call = new BenchCall(ws, rateHz, script, leadFrames, replyTimeoutMs);
        call.startDelayFrames = Math.round(startDelayMs / 20);
        resolve(call);
      });
    });
  }

  /** Echo mode: measure round trips; `pauseMs` of silence follow each pass of the script. */
  measureEcho(pauseMs: number): void {
    this.echo = { sent: 0, received: 0, latencyMs: [], jitterMs: [], pauseFrames: Math.round(pauseMs / 20) };
  }

  /** Clears the echo samples (the end of the warm-up); counts of frames are kept. */
  resetEchoSamples(): void {
    if (!this.echo) return;
    this.echo.latencyMs = [];
    this.echo.jitterMs = [];
  }

  /** Sends the next frame (speech script, or silence while waiting for the reply). */
  tick(now: number): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.echo) return this.echoTick(now);
    if (this.startDelayFrames > 0) {
      this.startDelayFrames--;
      this.ws.send(this.silence);
      return;
    }
    if (this.speaking) {
      this.ws.send(this.script.subarray(this.pos, this.pos + this.frameBytes));
      this.pos += this.frameBytes;
      if (this.pos >= this.script.length) {
        this.speaking = false;
        this.lastSpeechAt = now;
        this.awaitingReply = true;
        this.waitStart = now;
        this.arrivals = [];
      }
      return;
    }
    this.ws.send(this.silence);
    if (this.awaitingReply && now - this.waitStart > this.replyTimeoutMs) {
      this.failed++;
      this.nextTurn();
    }
  }

  close(): void {
    this.ws.close(1000);
  }

  private echoTick(now: number): void {
    const e = this.echo!;
    let frame = this.silence;
    if (this.startDelayFrames > 0) this.startDelayFrames--;
    else if (this.pauseLeft > 0) this.pauseLeft--;
    else {
      frame = this.script.subarray(this.pos, this.pos + this.frameBytes);
      this.pos += this.frameBytes;
      if (this.pos >= this.script.length) {
        this.pos = 0;
        this.pauseLeft = e.pauseFrames;
      }
    }
    this.ws.send(frame);
    e.sent++;
    this.sentAt.push(now);
  }

  private onEcho(): void {
    const e = this.echo!;
    const now = performance.now();
    e.received++;
    const sentAt = this.sentAt[this.sentHead++];
    if (sentAt !== undefined) e.latencyMs.push(now - sentAt);
    if (this.lastEcho > 0) e.jitterMs.push(Math.abs(now - this.lastEcho - 20));
    this.lastEcho = now;
    if (this.sentHead > 4096) {
      this.sentAt = this.sentAt.slice(this.sentHead);
      this.sentHead = 0;
    }
  }

  private onText(text: string): void {
    const msg = JSON.parse(text) as { action?: string; payload?: unknown };
    if (msg.action !== 'notify') return;
    this.ws.send(JSON.stringify({ event: 'websocket:notify', payload: msg.payload }));
    if (!this.awaitingReply) return;
    const a = this.arrivals;
    if (a.length === 0) {
      this.failed++;
    } else {
      const jitter: number[] = [];
      let underruns = 0;
      for (let i = 1; i < a.length; i++) {
        const d = a[i] - a[i - 1];
        if (d > 60) underruns++;
        if (i >= this.leadFrames) jitter.push(Math.abs(d - 20));
      }
      this.turns.push({ gapMs: a[0] - this.lastSpeechAt, frames: a.length, jitterMs: jitter, underruns });
    }
    this.nextTurn();
  }

  private nextTurn(): void {
    this.awaitingReply = false;
    this.speaking = true;
    this.pos = 0;
  }
}
