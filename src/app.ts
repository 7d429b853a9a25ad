import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { type Clock, systemClock } from './audio/clock.js';
import { ResamplerFactory } from './audio/resampler.js';
import { VadFactory } from './audio/vad.js';
import { createLexClientFactory, type LexClientFactory } from './bots/lex-clients.js';
import { CloseCodes } from './call/close-codes.js';
import { createChatChannel } from './chat/chat-channel.js';
import type { CallEventSinkFactory } from './call/call-events.js';
import { CLOSE_ONLY } from './call/handoff.js';
import { createWebhookSinks } from './events/webhook-sink.js';
import { createPlatformHandoff } from './handoff/platform-handoff.js';
import type { Config } from './config.js';
import { Metrics } from './metrics.js';
import type { CallConnection } from './server/call-connection.js';
import type { ConnectorContext } from './server/context.js';
import { createHttpHandler } from './server/http-routes.js';
import { listen } from './server/listen.js';
import { type CallRegistry, createUpgradeHandler } from './server/upgrade.js';

/** What `createConnector` needs; clock, Lex factory and metrics can be replaced in tests. */
export interface ConnectorDeps {
  config: Config;
  logger: Logger;
  clock?: Clock;
  lex?: LexClientFactory;
  metrics?: Metrics;
  /** Sinks of every call's conversation events, besides the configured ones. */
  eventSinks?: CallEventSinkFactory[];
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

/** Creates the connector (does not listen yet). */
export async function createConnector(deps: ConnectorDeps): Promise<Connector> {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? new Metrics();
  const clock = deps.clock ?? systemClock;
  // Conversation events webhook (docs/events.md) and platform hand-offs (docs/handoff.md).
  const webhooks = config.events.secret ? createWebhookSinks({ config: config.events, clock, metrics, logger }) : undefined;
  const ctx: ConnectorContext = {
    config,
    logger,
    clock,
    metrics,
    vad: await VadFactory.load(config.vadEngine),
    resamplers: await ResamplerFactory.load(config.resamplerQuality),
    lex: deps.lex ?? createLexClientFactory({ endpointUrl: config.lexEndpointUrl, timeoutMs: config.lexTimeoutMs, maxAttempts: config.lexMaxAttempts }),
    eventSinks: [...(webhooks ? [webhooks.factory] : []), ...(deps.eventSinks ?? [])],
    handoff: config.handoff.vonage || config.handoff.twilio ? createPlatformHandoff(config, clock, logger) : CLOSE_ONLY,
  };
  let drained: (() => void) | undefined;
  const registry: CallRegistry = {
    calls: new Set<CallConnection>(),
    draining: false,
    activeCalls: () => registry.calls.size,
    onCallEnded: () => {
      if (registry.calls.size === 0) drained?.();
    },
  };
  const { calls } = registry;
  const nccoPath = fileURLToPath(new URL('../example_ncco.json', import.meta.url));
  // Chat routes (/chat/…): src/chat/chat-channel.ts, one line of the HTTP route table.
  const chat = createChatChannel({ config, logger, metrics, clock: ctx.clock });
  const server = http.createServer(createHttpHandler({ config, metrics, logger, state: registry, chat }, nccoPath));
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false });
  server.on('upgrade', createUpgradeHandler(ctx, wss, registry));
  server.on('clientError', (_err, socket) => socket.destroy());

  const closeAll = async (): Promise<void> => {
    chat.close();
    webhooks?.close();
    for (const c of calls) c.close(CloseCodes.GOING_AWAY);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };

  return {
    metrics,
    activeCalls: () => calls.size,
    listen: async () => {
      const { port, address } = await listen(server, config.port, config.host);
      server.on('error', (err) => logger.error({ err, code: 'INTERNAL' }, 'server error'));
      const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
      return { port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
    },
    drain: async () => {
      registry.draining = true;
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
        void Promise.all([chatDrained, webhooks?.idle()]).then(() => {
          ctx.clock.clearTimer(deadline);
          resolve();
        });
      });
      await closeAll();
    },
    close: closeAll,
  };
}
