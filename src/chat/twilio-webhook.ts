import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { ChatTenant } from './chat-config.js';
import type { ChatMetrics } from './chat-metrics.js';
import type { ConversationStore } from './conversation-state.js';
import { ChatError } from './chat-errors.js';
import { mediaType, readBody, sendError } from './http-io.js';
import type { KeyedQueue } from './keyed-queue.js';
import { twilioTurn, type TwilioTurnDeps } from './twilio-turn.js';
import { candidateUrls } from '../server/auth.js';
import { validTwilioSignature } from '../transports/twilio/signature.js';

/** What the webhook handler uses. */
export interface TwilioWebhookDeps extends TwilioTurnDeps {
  tenants: ChatTenant[];
  queue: KeyedQueue;
  store: ConversationStore;
  metrics: ChatMetrics;
  errors: Counter<'code'>;
  logger: Logger;
  publicUrl?: string;
}

const CH_RE = /^CH[0-9a-fA-F]{32}$/;
const IM_RE = /^IM[0-9a-fA-F]{32}$/;
const WEBHOOK_BODY_MAX = 64 * 1024;

function formParams(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function answer(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

/**
 * The tenant of a signed webhook: chosen by `AccountSid`, `X-Twilio-Signature` checked with its
 * auth token over the public URL. Undefined for an unknown account or a bad signature.
 */
function signedTenant(deps: TwilioWebhookDeps, req: IncomingMessage, params: Record<string, string | string[]>): ChatTenant | undefined {
  const accountSid = one(params.AccountSid);
  const tenant = deps.tenants.find((t) => t.accountSid === accountSid);
  const signature = req.headers['x-twilio-signature'];
  // Shared-key (HMAC-SHA256) signatures are a Twilio public beta this server does not support (protocols-chat-handoff.md §1.7).
  if (!tenant || req.headers['x-twilio-webhooks-signature-settings'] !== undefined) return undefined;
  const urls = candidateUrls(req, ['https', 'http'], deps.publicUrl);
  return validTwilioSignature(tenant.authToken.reveal(), typeof signature === 'string' ? signature : undefined, urls, params) ? tenant : undefined;
}

/**
 * `POST /chat/twilio`: a Twilio Conversations post-event webhook (form-encoded). The tenant
 * is chosen by `AccountSid` and `X-Twilio-Signature` is checked with its auth token over the
 * public URL (PUBLIC_URL, else X-Forwarded-Host/Host; https or http, with/without the default
 * port); anything unsigned or unknown is refused with 403 before it can cause a post.
 * `onMessageAdded` is answered at once (Twilio waits 5 s at most) and queued per conversation.
 */
export async function twilioWebhook(deps: TwilioWebhookDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refuse = (err: ChatError, result: string): void => {
    deps.metrics.webhooks.inc({ result });
    deps.logger.warn({ code: err.code, status: err.status }, 'Twilio webhook refused');
    sendError(res, err);
  };
  if (req.method !== 'POST') return refuse(new ChatError('CHAT_METHOD_NOT_ALLOWED', 405, 'use POST', { allow: 'POST' }), 'invalid');
  if (mediaType(req) !== 'application/x-www-form-urlencoded') return refuse(new ChatError('CHAT_WEBHOOK_INVALID', 415, 'Twilio webhooks are application/x-www-form-urlencoded'), 'invalid');
  const params = formParams(await readBody(req, WEBHOOK_BODY_MAX));
  const tenant = signedTenant(deps, req, params);
  if (!tenant) {
    deps.errors.inc({ code: 'CHAT_WEBHOOK_FORBIDDEN' });
    return refuse(new ChatError('CHAT_WEBHOOK_FORBIDDEN', 403, 'unknown account or invalid X-Twilio-Signature'), 'forbidden');
  }
  const event = one(params.EventType);
  const conversationSid = one(params.ConversationSid) ?? '';
  if (event === 'onConversationStateUpdated' || event === 'onConversationRemoved') {
    if (event === 'onConversationRemoved' || one(params.StateTo) === 'closed') deps.store.forget(`${tenant.accountSid}/${conversationSid}`);
    deps.metrics.webhooks.inc({ result: 'ignored' });
    return answer(res);
  }
  if (event !== 'onMessageAdded') {
    deps.metrics.webhooks.inc({ result: 'ignored' });
    return answer(res);
  }
  const messageSid = one(params.MessageSid) ?? '';
  if (!CH_RE.test(conversationSid) || !IM_RE.test(messageSid)) return refuse(new ChatError('CHAT_WEBHOOK_INVALID', 400, 'onMessageAdded needs ConversationSid (CH…) and MessageSid (IM…)'), 'invalid');
  // ChatServiceSid is not documented on message events, so it is not required (§1.3).
  const author = one(params.Author) ?? '';
  const body = one(params.Body) ?? '';
  const log = deps.logger.child({ tenant: tenant.name, conversationSid });
  // The bot's own replies (if the webhook filter lets REST messages through) and media-only messages.
  if (author === tenant.botIdentity || body.trim() === '') {
    deps.metrics.webhooks.inc({ result: 'ignored' });
    return answer(res);
  }
  // Twilio documents no retry policy for Conversations webhooks (at-most-once delivery is
  // UNVERIFIED, protocols-chat-handoff.md §1.5); a redelivery, or the same message through a
  // service-level and a conversation-scoped webhook, is answered once.
  if (!deps.store.firstDelivery(messageSid)) {
    deps.metrics.webhooks.inc({ result: 'duplicate' });
    return answer(res);
  }
  // No draining check here: Twilio does not retry a refused webhook (§1.5), so a message that
  // still reaches a draining server is answered rather than lost; drain waits for the queue.
  const refused = deps.queue.push(`${tenant.accountSid}/${conversationSid}`, () => twilioTurn(deps, tenant, { conversationSid, messageSid, author, body }, log));
  if (refused) {
    // Not answered: a redelivery of this message must be taken, not ignored as a duplicate.
    deps.store.forgetDelivery(messageSid);
    deps.metrics.queueDrops.inc({ channel: 'twilio', reason: refused });
    deps.errors.inc({ code: 'CHAT_QUEUE_FULL' });
    log.warn({ code: 'CHAT_QUEUE_FULL', reason: refused, messageSid }, 'customer message not queued');
    return refuse(new ChatError('CHAT_QUEUE_FULL', 503, 'too many messages waiting', { 'retry-after': '1' }), 'refused');
  }
  deps.metrics.webhooks.inc({ result: 'queued' });
  answer(res);
}
