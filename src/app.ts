import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { type Clock, systemClock } from './audio/clock.js';
import { PacerTick } from './audio/pacer-tick.js';
import { ResamplerFactory } from './audio/resampler.js';
import { VadFactory } from './audio/vad.js';
import { createLexClientFactory, type LexClientFactory } from './bots/lex-clients.js';
import { sdkLogger } from './bots/sdk-logger.js';
import { CloseCodes } from './call/close-codes.js';
import { createChatChannel } from './chat/chat-channel.js';
import type { CallEventSinkFactory } from './call/call-events.js';
import { liveView } from './call/live-view.js';
import { CLOSE_ONLY } from './call/handoff.js';
import { createWebhookSinks } from './events/webhook-sink.js';
import { createPlatformHandoff } from './handoff/platform-handoff.js';
import type { Config } from './config.js';
import { Metrics } from './metrics.js';
import type { ConnectorContext, EmbeddedEmulator } from './server/context.js';
import { createHttpHandler, createMetricsHandler, HTTP_ROUTES } from './server/http-routes.js';
import { createHttpServer } from './server/http-server.js';
import { CallRegistry } from './server/call-registry.js';
import { listen } from './server/listen.js';
import { createUpgradeHandler } from './server/upgrade.js';

/** What `createConnector` needs; clock, Lex factory and metrics can be replaced in tests. */
export interface ConnectorDeps {
  config: Config;
  logger: Logger;
  clock?: Clock;
  lex?: LexClientFactory;
  metrics?: Metrics;
  /** Sinks of every call's conversation events, besides the configured ones. */
  eventSinks?: CallEventSinkFactory[];
  /** The Lex emulator of this process, when it is the Lex back-end (main.ts, demo.ts); in a cluster worker, the primary's. */
  emulator?: EmbeddedEmulator;
  /** Set in a cluster worker (src/cluster/worker-link.ts): the primary serves METRICS_PORT and sums every worker's metrics. */
  worker?: WorkerHooks;
}

/** How a cluster worker's connector reaches the primary. */
export interface WorkerHooks {
  /** The text `/metrics` serves: every worker's metrics summed, and the primary's own. */
  scrape(): Promise<string>;
  /** +1 when a call starts, -1 when it ends. */
  onActiveCalls(delta: 1 | -1): void;
}

/** A connector instance: an HTTP server with the WebSocket routes. */
export interface Connector {
  listen(): Promise<{ port: number; url: string }>;
  /** Stops taking calls and waits for those in progress (up to DRAIN_TIMEOUT_MS), then closes them with 1001. */
  drain(): Promise<void>;
  /** Closes everything now (1001 for calls in progress). */
  close(): Promise<void>;
  readonly metrics: Metrics;
  /** Calls in progress (configured, with a session). */
  activeCalls(): number;
  /** `http://host:port` of the metrics listener, once listening, when `METRICS_PORT` is set. */
  readonly metricsUrl: string | undefined;
}

/** The host part of a URL for a listening address (0.0.0.0 and :: are reached on loopback). */
function hostOf(address: string): string {
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  return host.includes(':') ? `[${host}]` : host;
}

/** Creates the connector (does not listen yet). */
export async function createConnector(deps: ConnectorDeps): Promise<Connector> {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? new Metrics(true, deps.worker?.scrape);
  const clock = deps.clock ?? systemClock;
  // Conversation events webhook (docs/events.md) and platform hand-offs (docs/handoff.md).
  const webhooks = config.events.secret ? createWebhookSinks({ config: config.events, clock, metrics, logger }) : undefined;
  const ctx: ConnectorContext = {
    config,
    logger,
    clock,
    pacerTick: new PacerTick(clock),
    metrics,
    vad: await VadFactory.load(config.vadEngine),
    resamplers: await ResamplerFactory.load(config.resamplerQuality),
    lex: deps.lex ?? createLexClientFactory({ endpointUrl: config.lexEndpointUrl, timeoutMs: config.lexTimeoutMs, maxAttempts: config.lexMaxAttempts, logger: sdkLogger(logger) }),
    // The live view (browser clients) first; it makes no sink for telephony calls.
    eventSinks: [liveView, ...(webhooks ? [webhooks.factory] : []), ...(deps.eventSinks ?? [])],
    handoff: config.handoff.vonage || config.handoff.twilio ? createPlatformHandoff(config, clock, logger) : CLOSE_ONLY,
    emulator: deps.emulator,
    onActiveCalls: deps.worker?.onActiveCalls,
  };
  const registry = new CallRegistry(config.maxCalls, config.limits.maxPendingConnections);
  metrics.watchPending(() => registry.pendingConnections());
  const nccoPath = fileURLToPath(new URL('../example_ncco.json', import.meta.url));
  // Chat routes (/chat/…): src/chat/chat-channel.ts, one line of the HTTP route table.
  const chat = createChatChannel({ config, logger, metrics, clock: ctx.clock });
  const metricsApart = config.metrics.port !== undefined;
  // In a cluster the primary listens on METRICS_PORT; the workers leave it alone.
  const metricsListener = metricsApart && !deps.worker;
  const handler = createHttpHandler(
    { config, metrics, logger, state: registry, chat, emulator: deps.emulator },
    nccoPath,
    metricsApart ? HTTP_ROUTES.filter((r) => r.path !== '/metrics') : HTTP_ROUTES,
  );
  const server = createHttpServer(handler, config.limits.httpRequestTimeoutMs);
  const metricsServer = metricsListener ? createHttpServer(createMetricsHandler(metrics, config.metrics.authToken), config.limits.httpRequestTimeoutMs) : undefined;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false, autoPong: false });
  server.on('upgrade', createUpgradeHandler(ctx, wss, registry));
  let metricsUrl: string | undefined;

  /** Resolves when every connection has ended, or after `ms`; true when they all did. */
  const allEnded = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (registry.connections.size === 0) return resolve(true);
      const timer = ctx.clock.setTimer(() => resolve(false), ms);
      registry.onIdle = () => {
        ctx.clock.clearTimer(timer);
        resolve(true);
      };
    });

  /**
   * Closes every call with 1001 and the servers; a peer that does not answer the close frame
   * within CLOSE_TIMEOUT_MS is cut, so this ends within that bound whatever the clients do.
   */
  const closeAll = async (): Promise<void> => {
    chat.close();
    for (const c of registry.connections) c.close(CloseCodes.GOING_AWAY);
    if (!(await allEnded(config.limits.closeTimeoutMs + 1000))) {
      logger.warn({ connections: registry.connections.size }, 'terminating connections that did not close');
      for (const c of registry.connections) c.terminate();
      await allEnded(1000);
    }
    // The calls' last events (call.ended) get a moment to go out before the webhook stops.
    if (webhooks) await Promise.race([webhooks.idle(), new Promise<void>((resolve) => ctx.clock.setTimer(resolve, 1000))]);
    webhooks?.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    await closed;
  };

  return {
    metrics,
    activeCalls: () => registry.activeCalls(),
    get metricsUrl() {
      return metricsUrl;
    },
    listen: async () => {
      const { port, address } = await listen(server, config.port, config.host);
      server.on('error', (err) => logger.error({ err, code: 'INTERNAL' }, 'server error'));
      if (metricsServer) {
        const m = await listen(metricsServer, config.metrics.port ?? 0, config.host);
        metricsServer.on('error', (err) => logger.error({ err, code: 'INTERNAL' }, 'metrics server error'));
        metricsUrl = `http://${hostOf(m.address)}:${m.port}`;
      }
      return { port, url: `http://${hostOf(address)}:${port}` };
    },
    drain: async () => {
      registry.draining = true;
      const startedAt = ctx.clock.now();
      logger.info({ activeCalls: registry.activeCalls(), drainTimeoutMs: config.drainTimeoutMs }, 'draining');
      const chatDrained = chat.drain();
      // One deadline for calls and chat turns together.
      const callsEnded = await allEnded(config.drainTimeoutMs);
      const left = Math.max(0, config.drainTimeoutMs - (ctx.clock.now() - startedAt));
      await new Promise<void>((resolve) => {
        const deadline = ctx.clock.setTimer(resolve, left);
        void Promise.all([chatDrained, webhooks?.idle()]).then(() => {
          ctx.clock.clearTimer(deadline);
          resolve();
        });
      });
      const cut = registry.connections.size;
      await closeAll();
      logger.info({ callsEnded, closedAtDeadline: cut, durationMs: Math.round(ctx.clock.now() - startedAt) }, 'drained');
    },
    close: closeAll,
  };
}
