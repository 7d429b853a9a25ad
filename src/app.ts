import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { Metrics } from './metrics.js';
import { systemClock, type Clock } from './audio/clock.js';
import { ResamplerFactory } from './audio/resampler.js';
import { VadFactory } from './audio/vad.js';
import { createLexClientFactory, type LexClientFactory } from './bots/lex-clients.js';
import { CallConnection, safeEqual } from './server/call-connection.js';
import { createHttpHandler } from './server/http-routes.js';
import { parseRoute } from './server/routes.js';
import { candidateUrls, validTwilioSignature } from './transports/twilio/signature.js';
import type { ConnectorContext } from './server/context.js';
import { CloseCodes } from './session/close-codes.js';
import { createChatChannel } from './chat/chat-channel.js';

/** What `createConnector` needs; clock, Lex factory and metrics can be replaced in tests. */
export interface ConnectorDeps {
  config: Config;
  logger: Logger;
  clock?: Clock;
  lex?: LexClientFactory;
  metrics?: Metrics;
}

/** A connector instance: an HTTP server with the WebSocket routes. */
export interface Connector {
  listen(): Promise<{ port: number; url: string }>;
  /** Stops taking calls and waits for those in progress (up to DRAIN_TIMEOUT_MS), then closes them with 1001. */
  drain(): Promise<void>;
  /** Closes everything now (1001 for calls in progress). */
  close(): Promise<void>;
  readonly metrics: Metrics;
  activeCalls(): number;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

function refuse(socket: Duplex, status: number): void {
  const body = `${STATUS_TEXT[status].toLowerCase()}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  socket.destroy();
}

/** Creates the connector (does not listen yet). */
export async function createConnector(deps: ConnectorDeps): Promise<Connector> {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? new Metrics();
  const ctx: ConnectorContext = {
    config,
    logger,
    clock: deps.clock ?? systemClock,
    metrics,
    vad: await VadFactory.load(config.vadEngine),
    resamplers: await ResamplerFactory.load(config.resamplerQuality),
    lex: deps.lex ?? createLexClientFactory({ endpointUrl: config.lexEndpointUrl, timeoutMs: config.lexTimeoutMs, maxAttempts: config.lexMaxAttempts }),
  };
  const calls = new Set<CallConnection>();
  const state = { draining: false, activeCalls: () => calls.size };
  const nccoPath = fileURLToPath(new URL('../example_ncco.json', import.meta.url));
  const httpHandler = createHttpHandler(config, metrics, state, nccoPath);
  // Chat routes (/chat/…): src/chat/chat-channel.ts; everything else as before.
  const chat = createChatChannel({ config, logger, metrics, clock: ctx.clock });
  const server = http.createServer((req, res) => chat.handle(req, res) || httpHandler(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false });
  let drained: (() => void) | undefined;

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const reject = (status: number): void => {
      metrics.rejected.inc({ status: String(status) });
      refuse(socket, status);
    };
    const route = parseRoute(req.url ?? '/');
    if (!route) return reject(404);
    if (state.draining || calls.size >= config.maxCalls) return reject(503);
    let preAuthorized = false;
    if (config.connectorAuthToken && req.headers.authorization !== undefined) {
      const m = /^Bearer (.+)$/i.exec(req.headers.authorization);
      if (!m || !safeEqual(m[1], config.connectorAuthToken)) return reject(401);
      preAuthorized = true;
    }
    // With a Twilio token, an upgrade needs a valid X-Twilio-Signature (signed over the wss://
    // URL, https:// accepted) or, for Vonage calls on the same server, a valid bearer token.
    if (config.twilioAuthToken) {
      const sig = req.headers['x-twilio-signature'];
      if (sig !== undefined) {
        const urls = candidateUrls(req, ['wss', 'https'], config.publicUrl);
        if (!validTwilioSignature(config.twilioAuthToken, typeof sig === 'string' ? sig : undefined, urls)) return reject(403);
        preAuthorized = true; // Twilio vouched for this connection
      } else if (!preAuthorized) {
        return reject(403);
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const call = new CallConnection(ws, route, ctx, preAuthorized, (c) => {
        calls.delete(c);
        if (calls.size === 0) drained?.();
      });
      calls.add(call);
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const closeAll = async (): Promise<void> => {
    chat.close();
    for (const c of calls) c.close(CloseCodes.GOING_AWAY);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };

  return {
    metrics,
    activeCalls: () => calls.size,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port, address } = server.address() as AddressInfo;
          const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
          resolve({ port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` });
        });
      }),
    drain: async () => {
      state.draining = true;
      logger.info({ activeCalls: calls.size, drainTimeoutMs: config.drainTimeoutMs }, 'draining');
      const chatDrained = chat.drain();
      if (calls.size > 0) {
        await new Promise<void>((resolve) => {
          const deadline = ctx.clock.setTimer(resolve, config.drainTimeoutMs);
          drained = () => {
            ctx.clock.clearTimer(deadline);
            resolve();
          };
        });
      }
      await new Promise<void>((resolve) => {
        const deadline = ctx.clock.setTimer(resolve, config.drainTimeoutMs);
        void chatDrained.then(() => {
          ctx.clock.clearTimer(deadline);
          resolve();
        });
      });
      await closeAll();
    },
    close: closeAll,
  };
}
