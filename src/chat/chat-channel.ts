import { sdkLogger } from '../bots/sdk-logger.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Clock } from '../audio/clock.js';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { chatApi, CHAT_API_RE } from './chat-api.js';
import type { ChatConfig, ChatTenant } from './chat-config.js';
import { ChatError } from './chat-errors.js';
import { ChatMetrics } from './chat-metrics.js';
import { ConversationStore } from './conversation-state.js';
import { sendError } from './http-io.js';
import { KeyedQueue } from './keyed-queue.js';
import { LexText } from './lex-text.js';
import { createTwilioRest, loadTwilio, type TwilioRest } from './twilio-rest.js';
import { twilioWebhook } from './twilio-webhook.js';

/** The chat routes as one unit the HTTP server dispatches to. */
export interface ChatChannel {
  /** Handles `/chat/…` requests and returns true; returns false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Refuses new generic API requests (503) and waits for queued turns (bounded by the caller). Twilio webhooks are still taken. */
  drain(): Promise<void>;
  /** Releases pooled connections. */
  close(): void;
  readonly metrics: ChatMetrics;
}

/** What the channel needs from the connector. */
export interface ChatChannelDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
}

/** One `TwilioRest` per tenant, built on first use (the `twilio` package is loaded lazily). */
function restFactory(chat: ChatConfig, clock: Clock, metrics: ChatMetrics, logger: Logger): (tenant: ChatTenant) => Promise<TwilioRest> {
  const rests = new Map<string, Promise<TwilioRest>>();
  return (tenant) => {
    let r = rests.get(tenant.accountSid);
    if (!r) {
      r = loadTwilio().then((twilio) =>
        createTwilioRest(twilio, tenant, {
          baseUrl: chat.twilioApiBaseUrl,
          timeoutMs: chat.twilioTimeoutMs,
          maxAttempts: chat.twilioMaxAttempts,
          retryBaseMs: chat.twilioRetryBaseMs,
          retryMaxMs: chat.twilioRetryMaxMs,
          clock,
          onAttempt: (op, status, seconds) => metrics.twilioLatency.observe({ op, status }, seconds),
          onRetry: (info) => {
            metrics.twilioRetries.inc({ op: info.op, status: info.status });
            logger.warn({ tenant: tenant.name, ...info }, 'Twilio request failed; retrying');
          },
        }),
      );
      rests.set(tenant.accountSid, r);
    }
    return r;
  };
}

/**
 * Turns still queued or running when the channel closes (the drain deadline passed) get no bot
 * answer: each is counted and the lot logged at error, per channel, so none is lost silently.
 */
function reportCut(queue: KeyedQueue, metrics: ChatMetrics, errors: Counter<'code'>, logger: Logger): void {
  const left = queue.entries();
  for (const channel of ['twilio', 'api'] as const) {
    const mine = left.filter(([key]) => (key.startsWith('api/') ? 'api' : 'twilio') === channel);
    const turns = mine.reduce((n, [, count]) => n + count, 0);
    if (turns === 0) continue;
    metrics.queueDrops.inc({ channel, reason: 'draining' }, turns);
    errors.inc({ code: 'CHAT_DRAINING' }, turns);
    // Keys are `AC…/CH…` (Twilio) or `api/bot/alias/locale/session`: no secret, no text.
    logger.error({ code: 'CHAT_DRAINING', channel, turns, conversations: mine.length, keys: mine.slice(0, 50).map(([key]) => key) }, 'chat turns cut by shutdown: these messages get no bot answer');
  }
}

/** Builds the chat channel: Twilio Conversations webhook (`/chat/twilio`) and the generic API (`/chat/bots/…/text`). */
export function createChatChannel(deps: ChatChannelDeps): ChatChannel {
  const { config, clock } = deps;
  const chat = config.chat;
  const logger = deps.logger.child({ component: 'chat' });
  const errors = deps.metrics.errors;
  const queue = new KeyedQueue(chat.queuePerConversation, chat.maxConversations, (key, err) => {
    errors.inc({ code: 'CHAT_INTERNAL' });
    logger.error({ key, err: { name: (err as Error)?.name, code: (err as { code?: unknown })?.code } }, 'chat task failed');
  });
  const metrics = new ChatMetrics(deps.metrics.registry, () => queue.activeKeys);
  const store = new ConversationStore(chat.maxConversations, chat.transcriptMax);
  const lex = new LexText({ endpointUrl: config.lexEndpointUrl, timeoutMs: config.lexTimeoutMs, maxAttempts: config.lexMaxAttempts, logger: sdkLogger(logger) });
  const rest = restFactory(chat, clock, metrics, logger);
  // Load the helper library ahead of the first message when a Twilio tenant is configured.
  if (chat.tenants.length) void loadTwilio().catch(() => undefined);
  let draining = false;
  const shared = { lex, queue, store, metrics, errors, clock, logger, draining: () => draining };
  const track = (p: Promise<void>): void => {
    p.catch((err: unknown) => {
      if (err instanceof ChatError) {
        metrics.webhooks.inc({ result: 'invalid' });
        return;
      }
      errors.inc({ code: 'CHAT_INTERNAL' });
      logger.error({ err: { name: (err as Error)?.name } }, 'chat request failed');
    });
  };

  return {
    metrics,
    handle(req, res) {
      const path = (req.url ?? '/').split('?')[0];
      if (!path.startsWith('/chat/')) return false;
      if (path === '/chat/twilio' && chat.tenants.length > 0) {
        track(
          twilioWebhook({ ...shared, rest, tenants: chat.tenants, publicUrl: config.publicUrl }, req, res).catch((err: unknown) => {
            if (err instanceof ChatError) sendError(res, err);
            throw err;
          }),
        );
        return true;
      }
      if (chat.apiEnabled && CHAT_API_RE.test(path)) {
        track(chatApi({ ...shared, chat, connectorAuthToken: config.connectorAuthToken }, req, res, path));
        return true;
      }
      req.resume();
      sendError(res, new ChatError('CHAT_NOT_FOUND', 404, 'no such chat route'));
      return true;
    },
    async drain() {
      draining = true;
      await queue.idle();
    },
    close() {
      reportCut(queue, metrics, errors, logger);
      queue.close();
      lex.close();
    },
  };
}
