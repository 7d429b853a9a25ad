import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BotDef } from './bot-model.js';
import { shippedBots } from './bot-model.js';
import { LexCore } from './lex-core.js';
import { SessionStore, type EmulatedSession } from './session-store.js';
import { DEMO_KEY, payloadHashFor, precheckRequest, verifyRequest, type AccessKey } from './sigv4.js';
import { readBody, writeError, type Exchange, type Req, type Res } from './http-util.js';
import { matchOperation, type Operation } from './operations.js';
import { postContent, postText } from './v1-runtime.js';
import { deleteSessionV1, getSessionV1, putSessionV1 } from './v1-session.js';
import { recognizeText, recognizeUtterance } from './v2-runtime.js';
import { deleteSessionV2, getSessionV2, putSessionV2 } from './v2-session.js';
import { startConversation, type ConversationOptions } from './conversation.js';
import { control } from './control-api.js';
import { parseFaultRule, type Fault, type Latency } from './faults.js';
import { ResamplerFactory } from '../audio/resampler.js';
import { VadFactory } from '../audio/vad.js';
import { createVoice, DEFAULT_VOICE, type Voice, type VoiceName } from './voice/index.js';

/** Emulator settings; everything has a default. */
export interface EmulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Accepted key pairs (default: the demo pair). */
  keys?: AccessKey[];
  bots?: BotDef[];
  latency?: Partial<Latency>;
  /** Faults applied to every session until used up. */
  faults?: { fault: Fault; times?: number }[];
  conversation?: Partial<ConversationOptions>;
  /** Every spoken reply lasts exactly this many ms (benchmarks); 0: follows the text. */
  replyMs?: number;
  /**
   * The voice of the bot's messages: `flite` (intelligible, the default), `flite-rms`,
   * `synthetic` (speech-like, for benchmarks), or a `Voice` of your own.
   */
  voice?: VoiceName | Voice;
  /** "Today" for AMAZON.Date resolution (tests pin it). */
  today?: () => Date;
  /** The emulator's clock, epoch ms (default `Date.now`): SigV4's 5-minute skew window and `Date` headers. */
  clock?: () => number;
  logger?: Logger;
}

/** A running emulator. */
export interface Emulator {
  /** `http://host:port` — give it to the SDK clients as `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly core: LexCore;
  /** The session (created on first use) for direct, in-process control. */
  session(id: string): EmulatedSession;
  close(): Promise<void>;
}

type Handler = (core: LexCore, x: Exchange, op: never) => Promise<void>;
const HANDLERS: Record<string, Handler> = {
  'v1 PostContent': postContent,
  'v1 PostText': postText,
  'v1 GetSession': getSessionV1,
  'v1 PutSession': putSessionV1,
  'v1 DeleteSession': deleteSessionV1,
  'v2 RecognizeUtterance': recognizeUtterance,
  'v2 RecognizeText': recognizeText,
  'v2 GetSession': getSessionV2,
  'v2 PutSession': putSessionV2,
  'v2 DeleteSession': deleteSessionV2,
};

/** Starts the Lex V1 (HTTP/1.1) and V2 (h2c) runtime emulator on one port. */
export async function createEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const keys = opts.keys ?? [DEMO_KEY];
  const clock = opts.clock ?? Date.now;
  // The store's clock is the emulator's, control-API offset included.
  const resamplers = await ResamplerFactory.load();
  const voice = opts.voice ?? DEFAULT_VOICE;
  const lex: LexCore = new LexCore(
    opts.bots ?? shippedBots(),
    new SessionStore(() => lex.now()),
    resamplers,
    await VadFactory.load(),
    (opts.faults ?? []).map(parseFaultRule),
    { processingDelayMs: 0, chunkDelayMs: 0, ...opts.latency },
    opts.today ?? (() => new Date()),
    opts.replyMs ?? 0,
    clock,
    typeof voice === 'string' ? createVoice(voice, resamplers, { logger: opts.logger }) : voice,
  );
  const conv: ConversationOptions = { endSilenceMs: 600, heartbeatMs: 15_000, audioChunkBytes: 640, ...opts.conversation };
  const log = opts.logger;

  const handler = (req: Req, res: Res): void => {
    route(req, res).catch((err: unknown) => {
      log?.error({ err }, 'emulator request failed');
      writeError(res, 500, 'InternalServerException', 'Internal server error');
    });
  };

  async function route(req: Req, res: Res): Promise<void> {
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    if (path.startsWith('/_emulator/')) return control(lex, req, res, path);
    const requestId = randomUUID();
    res.setHeader('x-amzn-requestid', requestId);
    res.setHeader('date', new Date(lex.now()).toUTCString());
    const op = matchOperation(req.method ?? 'GET', path);
    if (!op) {
      await readBody(req).catch(() => undefined);
      return writeError(res, 404, 'UnknownOperationException', 'Unknown operation');
    }
    const signed = { method: req.method ?? 'GET', url, headers: req.headers as Record<string, string> };
    const now = lex.now();
    // Unknown keys and stale dates are refused before a body is read; the signature covers
    // the body, so it is checked once the body is in.
    const early = precheckRequest(signed, keys, { now });
    if (early) {
      req.resume();
      return writeError(res, early.status, early.code, early.message);
    }
    const streaming = op.name === 'StartConversation';
    const body = streaming ? undefined : await readBody(req);
    const declared = req.headers['x-amz-content-sha256'] as string | undefined;
    const auth = verifyRequest(signed, keys, { payloadHash: payloadHashFor(declared, body?.body, streaming), now });
    if (!auth.ok) {
      req.resume();
      return writeError(res, auth.status, auth.code, auth.message);
    }
    if (op.api === 'v2' && op.name === 'StartConversation') return startConversation(lex, req, res, op, auth, conv);
    return dispatch({ req, res, body: body!, requestId }, op);
  }

  function dispatch(x: Exchange, op: Operation): Promise<void> {
    return HANDLERS[`${op.api} ${op.name}`](lex, x, op as never);
  }

  const h1 = http.createServer(handler);
  const h2 = http2.createServer({}, handler);
  const sockets = new Set<net.Socket>();
  const sniffer = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // h2c with prior knowledge starts with the HTTP/2 preface "PRI * HTTP/2.0".
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first.subarray(0, 3).toString('latin1') === 'PRI' ? h2 : h1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve, reject) => {
    sniffer.once('error', reject);
    sniffer.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = sniffer.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    core: lex,
    session: (id) => lex.sessions.get(id),
    close: async () => {
      for (const r of lex.hung) r.destroy?.();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => sniffer.close(() => resolve()));
    },
  };
}
