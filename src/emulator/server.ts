import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BotDef } from './bot-model.js';
import { orderFlowersBot } from './bot-model.js';
import { LexCore } from './lex-core.js';
import { SessionStore, type EmulatedSession } from './session-store.js';
import { DEMO_KEY, sha256Hex, verifyRequest, type AccessKey } from './sigv4.js';
import { readBody, writeError, type Req, type Res } from './http-util.js';
import { postContent, postText } from './v1-runtime.js';
import { recognizeText, recognizeUtterance } from './v2-runtime.js';
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
   * The voice of the bot's messages: `flite` (intelligible, the default), `synthetic`
   * (speech-like, for benchmarks), or a `Voice` of your own.
   */
  voice?: VoiceName | Voice;
  /** "Today" for AMAZON.Date resolution (tests pin it). */
  today?: () => Date;
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

const V1_RE = /^\/bot\/([^/]+)\/alias\/([^/]+)\/user\/([^/]+)\/(content|text)$/;
const V2_RE = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)\/(utterance|text|conversation)$/;

/** Starts the Lex V1 (HTTP/1.1) and V2 (h2c) runtime emulator on one port. */
export async function createEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const keys = opts.keys ?? [DEMO_KEY];
  const resamplers = await ResamplerFactory.load();
  const voice = opts.voice ?? DEFAULT_VOICE;
  const core = new LexCore(
    opts.bots ?? [orderFlowersBot()],
    new SessionStore(),
    resamplers,
    await VadFactory.load(),
    (opts.faults ?? []).map(parseFaultRule),
    { processingDelayMs: 0, chunkDelayMs: 0, ...opts.latency },
    opts.today ?? (() => new Date()),
    opts.replyMs ?? 0,
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
    if (path.startsWith('/_emulator/')) return control(core, req, res, path);
    const v1 = V1_RE.exec(path);
    const v2 = V2_RE.exec(path);
    if ((!v1 && !v2) || req.method !== 'POST') {
      await readBody(req).catch(() => undefined);
      return writeError(res, 404, 'UnknownOperationException', 'Unknown operation');
    }
    const auth = verifyRequest({ method: req.method, url, headers: req.headers as Record<string, string> }, keys);
    if (!auth.ok) {
      req.resume();
      return writeError(res, auth.status, auth.code, auth.message);
    }
    if (v2 && v2[5] === 'conversation') {
      const p = { botId: dec(v2[1]), aliasId: dec(v2[2]), localeId: dec(v2[3]), sessionId: dec(v2[4]) };
      return startConversation(core, req, res, p, auth, conv);
    }
    const body = await readBody(req);
    const declared = String(req.headers['x-amz-content-sha256'] ?? '');
    if (/^[0-9a-f]{64}$/.test(declared) && declared !== sha256Hex(body.body)) {
      return writeError(res, 400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
    }
    if (v1) {
      const p = { bot: dec(v1[1]), user: dec(v1[3]) };
      return v1[4] === 'content' ? postContent(core, req, res, p, body) : postText(core, req, res, p, body);
    }
    const p = { botId: dec(v2![1]), aliasId: dec(v2![2]), localeId: dec(v2![3]), sessionId: dec(v2![4]) };
    return v2![5] === 'utterance' ? recognizeUtterance(core, req, res, p, body) : recognizeText(core, req, res, p, body);
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
    core,
    session: (id) => core.sessions.get(id),
    close: async () => {
      for (const r of core.hung) r.destroy?.();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => sniffer.close(() => resolve()));
    },
  };
}

function dec(s: string): string {
  return decodeURIComponent(s);
}
