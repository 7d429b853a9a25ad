/**
 * The connector's own per-frame work, without sockets: `--calls` Vonage calls on the V2
 * utterance route run for `--seconds` of virtual time through the real `CallConnection`,
 * transport, session, VAD, voice gate, segmenter, upload batching, `LexV2Bot`, playback,
 * pacer and socket writer. Only the two ends are doubles: a socket object that takes what
 * `ws` would deliver and counts what is sent (the `ws` library and the kernel cost the
 * floor the same per frame, `bench/floor-server.ts`), and a Lex client whose `send` drains
 * the upload and answers 150 virtual ms after it ends with 2 s of 16 kHz audio in 16 KiB
 * chunks, as the emulator does. The callers follow the load benchmark's script (300 ms of
 * silence, a 1.5 s utterance, silence until the reply's notify is echoed), half at 8 kHz.
 *
 * Time is a `VirtualClock`, so the work is the same on every run and under callgrind;
 * `bench/frame-callgrind.ts` runs this at two lengths and divides the difference of the
 * instruction totals by the call-seconds between them.
 *
 *   tsx bench/frame-micro.ts [--calls 50] [--seconds 30] [--mix16k 0.5]
 *
 * Prints one JSON line: call-seconds, frames in and out, turns, process CPU.
 */
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { pino } from 'pino';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { PacerTick } from '../src/audio/pacer-tick.js';
import { ResamplerFactory } from '../src/audio/resampler.js';
import { VadFactory } from '../src/audio/vad.js';
import { synthesize } from '../src/audio/speech-synth.js';
import type { LexClientFactory } from '../src/bots/lex-clients.js';
import { encodeV2Header } from '../src/bots/lexv2/headers.js';
import { CLOSE_ONLY } from '../src/call/handoff.js';
import { liveView } from '../src/call/live-view.js';
import { loadConfig } from '../src/config.js';
import { Metrics } from '../src/metrics.js';
import { CallConnection } from '../src/server/call-connection.js';
import type { ConnectorContext } from '../src/server/context.js';
import { DEMO_KEY } from '../src/emulator/sigv4.js';
import { turnAudio } from './load-caller.js';
import { VirtualClock } from './lib/virtual-clock.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    mix16k: { type: 'string', default: '0.5' },
    'delay-ms': { type: 'string', default: '150' },
  },
});
const CALLS = Number(values.calls);
const SECONDS = Number(values.seconds);
const MIX16K = Number(values.mix16k);
const DELAY_MS = Number(values['delay-ms']);
const REPLY_MS = 2000;
const OPEN = 1;
const noop = (): void => {};

/** What `ws` hands a connection, and what it is asked to send: counted, not written. */
class FakeSocket extends EventEmitter {
  readonly OPEN = OPEN;
  readonly CONNECTING = 0;
  readyState = OPEN;
  bufferedAmount = 0;
  framesOut = 0;
  /** Names of notify requests to echo on the caller's next frame. */
  readonly notifies: string[] = [];

  send(data: Buffer | string): void {
    if (typeof data !== 'string') {
      this.framesOut++;
      return;
    }
    const msg = JSON.parse(data) as { action?: string; payload?: { name?: string } };
    if (msg.action === 'notify' && msg.payload?.name) this.notifies.push(msg.payload.name);
  }

  close(): void {
    if (this.readyState !== OPEN) return;
    this.readyState = 3;
    setImmediate(() => this.emit('close', 1000));
  }

  terminate(): void {
    this.close();
  }

  pong(): void {}
}

/** A caller of the load benchmark's script, one frame per 20 ms step. */
class Caller {
  private pos = 0;
  private speaking = true;
  private awaitingReply = false;
  turns = 0;

  constructor(
    readonly socket: FakeSocket,
    private readonly script: Buffer,
    private readonly frameBytes: number,
    private startDelayFrames: number,
  ) {}

  /** Delivers this step's messages: a notify echo if one is due, then one audio frame (a fresh buffer, as `ws` gives). */
  step(): void {
    const s = this.socket;
    while (s.notifies.length > 0) {
      const name = s.notifies.shift()!;
      s.emit('message', Buffer.from(JSON.stringify({ event: 'websocket:notify', payload: { name } })), false);
      if (this.awaitingReply) {
        this.awaitingReply = false;
        this.speaking = true;
        this.pos = 0;
        this.turns++;
        if (process.env.DEBUG_MICRO) console.log('notify', name, performance.now());
      }
    }
    let frame: Buffer;
    if (this.startDelayFrames > 0) {
      this.startDelayFrames--;
      frame = Buffer.alloc(this.frameBytes);
    } else if (this.speaking) {
      frame = Buffer.from(this.script.subarray(this.pos, this.pos + this.frameBytes));
      this.pos += this.frameBytes;
      if (this.pos >= this.script.length) {
        this.speaking = false;
        this.awaitingReply = true;
        if (process.env.DEBUG_MICRO) console.log('speech end');
      }
    } else {
      frame = Buffer.alloc(this.frameBytes);
    }
    s.emit('message', frame, true);
  }
}

/** A Lex V2 client double: drains the upload, answers `DELAY_MS` (virtual) after it ends. */
function fakeLex(clock: VirtualClock, reply: Buffer): LexClientFactory {
  const sessionState = encodeV2Header({ dialogAction: { type: 'ElicitSlot', slotToElicit: 'FlowerType' }, intent: { name: 'OrderFlowers', state: 'InProgress', slots: {} }, sessionAttributes: {} });
  const messages = encodeV2Header([{ content: 'What type of flowers would you like to order?', contentType: 'PlainText' }]);
  const inputTranscript = encodeV2Header('order some lovely flowers please');
  const chunks: Buffer[] = [];
  for (let o = 0; o < reply.length; o += 16384) chunks.push(reply.subarray(o, o + 16384));
  const client = {
    send(cmd: { input: { inputStream: Readable | Buffer } }, opts?: { abortSignal?: AbortSignal }): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const answer = (): void => {
          clock.setTimer(() => resolve({ sessionState, messages, inputTranscript, contentType: 'audio/pcm', audioStream: Readable.from(chunks) }), DELAY_MS);
        };
        opts?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
        const input = cmd.input.inputStream;
        if (Buffer.isBuffer(input)) return answer();
        input.on('data', noop);
        input.once('end', answer);
      });
    },
    destroy: noop,
  };
  return {
    v1: () => {
      throw new Error('v2 only');
    },
    v2: () => client as unknown as LexRuntimeV2Client,
  };
}

/** `ms` of the synthetic voice at 16 kHz, the emulator's `--reply-ms`. */
function replyAudio(ms: number): Buffer {
  const speech = synthesize('what type of flowers would you like to order today', 16000);
  const out = new Int16Array((ms * 16000) / 1000);
  for (let o = 0; o < out.length; o += speech.length) out.set(speech.subarray(0, out.length - o), o);
  return Buffer.from(out.buffer);
}

async function main(): Promise<void> {
  const clock = new VirtualClock();
  const config = loadConfig({ EMBEDDED_EMULATOR: 'false', LEX_ENDPOINT_URL: 'http://127.0.0.1:9', NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const ctx: ConnectorContext = {
    config,
    clock,
    pacerTick: new PacerTick(clock),
    logger: pino({ level: process.env.DEBUG_MICRO ? 'debug' : 'silent' }),
    metrics: new Metrics(false),
    vad: await VadFactory.load(config.vadEngine),
    resamplers: await ResamplerFactory.load(config.resamplerQuality),
    lex: fakeLex(clock, replyAudio(REPLY_MS)),
    eventSinks: [liveView],
    handoff: CLOSE_ONLY,
  };
  const scripts = new Map([8000, 16000].map((r) => [r, turnAudio(r)]));
  const cycleFrames = Math.round((1800 + 400 + DELAY_MS + REPLY_MS) / 20);
  const callers: Caller[] = [];
  for (let i = 0; i < CALLS; i++) {
    const rate = Math.floor((i + 1) * MIX16K) > Math.floor(i * MIX16K) ? 16000 : 8000;
    const socket = new FakeSocket();
    const route = { api: 'v2' as const, botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId: `micro-${i}` };
    new CallConnection(socket as unknown as WebSocket, route, ctx, { preAuthorized: true, holdsSlot: true, claimSlot: () => true }, noop);
    const first = { event: 'websocket:connected', 'content-type': `audio/l16;rate=${rate}`, aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey, barge_in: false };
    socket.emit('message', Buffer.from(JSON.stringify(first)), false);
    callers.push(new Caller(socket, scripts.get(rate)!, rate / 25, Math.floor((i / CALLS) * cycleFrames)));
  }
  const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
  const cpu0 = process.cpuUsage();
  for (let step = 0; step < SECONDS * 50; step++) {
    for (const c of callers) c.step();
    clock.advance(20);
    await flush();
  }
  const cpu = process.cpuUsage(cpu0);
  const framesOut = callers.reduce((n, c) => n + c.socket.framesOut, 0);
  const turns = callers.reduce((n, c) => n + c.turns, 0);
  const callSeconds = CALLS * SECONDS;
  console.log(
    JSON.stringify({
      calls: CALLS,
      seconds: SECONDS,
      callSeconds,
      framesIn: callSeconds * 50,
      framesOut,
      turns,
      cpuMsPerCallSecond: Math.round(((cpu.user + cpu.system) / 1000 / callSeconds) * 1000) / 1000,
    }),
  );
  for (const c of callers) c.socket.close();
  await flush();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
