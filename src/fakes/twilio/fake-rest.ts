import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { operationOf } from '../../chat/twilio-http-client.js';
import { fakeSid, type FakeConversation, type FakeStore } from './fake-store.js';
import { takeFailure, type FakeFailureRule } from './fake-failures.js';

/** An account the fake accepts: Basic auth with `accountSid:authToken` or `apiKeySid:secret`. */
export interface FakeAccount {
  accountSid: string;
  authToken: string;
  apiKeys?: { sid: string; secret: string }[];
}

/** One REST request as the fake saw it. The password is never recorded. */
export interface FakeRequest {
  seq: number;
  method: string;
  /** Twilio product host, e.g. `conversations.twilio.com`. */
  host: string;
  path: string;
  op: string;
  /** Basic-auth user name (`AC…` or `SK…`), when present. */
  username?: string;
  /** Account the credentials belong to, when they were valid. */
  accountSid?: string;
  status: number;
  form: Record<string, string | string[]>;
  /** `X-Twilio-Webhook-Enabled` as sent. */
  webhookEnabled?: string;
  userAgent?: string;
}

/** What the REST handler needs from the fake. */
export interface FakeRestContext {
  accounts: FakeAccount[];
  store: FakeStore;
  failures: FakeFailureRule[];
  requests: FakeRequest[];
  hung: Set<ServerResponse>;
  nextSeq(): number;
}

const CONV_RE = /^\/conversations\.twilio\.com\/v1\/(?:Services\/(IS[0-9a-fA-F]{32})\/)?Conversations\/([^/]+)(?:\/(Messages|Webhooks)(?:\/([^/]+))?)?$/;
const INTERACTIONS_RE = /^\/flex-api\.twilio\.com\/v1\/Interactions$/;
const CALL_RE = /^\/api\.twilio\.com\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Calls\/(CA[0-9a-fA-F]{32})\.json$/;

function safeEq(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks Basic auth as Twilio does; returns the account and user name. */
export function authenticate(header: string | undefined, accounts: FakeAccount[]): { username?: string; accountSid?: string } {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return {};
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return {};
  const [user, pass] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  for (const a of accounts) {
    if (user === a.accountSid && safeEq(pass, a.authToken)) return { username: user, accountSid: a.accountSid };
    for (const k of a.apiKeys ?? []) if (user === k.sid && safeEq(pass, k.secret)) return { username: user, accountSid: a.accountSid };
  }
  return { username: user };
}

function formOf(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): number {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'twilio-request-id': fakeSid('RQ'), ...headers });
  res.end(body);
  return status;
}

function twilioError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): number {
  return json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

function messageJson(c: FakeConversation, m: FakeConversation['messages'][number]): Record<string, unknown> {
  return {
    sid: m.sid,
    account_sid: c.accountSid,
    conversation_sid: c.sid,
    chat_service_sid: c.serviceSid ?? null,
    index: m.index,
    author: m.author,
    body: m.body,
    attributes: m.attributes,
    media: null,
    participant_sid: null,
    date_created: m.dateCreated,
    date_updated: m.dateCreated,
    delivery: null,
    content_sid: null,
    url: `https://conversations.twilio.com/v1/Conversations/${c.sid}/Messages/${m.sid}`,
    links: {},
  };
}

function conversationJson(c: FakeConversation): Record<string, unknown> {
  return { sid: c.sid, account_sid: c.accountSid, chat_service_sid: c.serviceSid ?? null, state: c.state, attributes: c.attributes, url: `https://conversations.twilio.com/v1/Conversations/${c.sid}` };
}

function webhookJson(c: FakeConversation, w: FakeConversation['webhooks'][number]): Record<string, unknown> {
  return {
    sid: w.sid,
    account_sid: c.accountSid,
    conversation_sid: c.sid,
    target: w.target,
    url: `https://conversations.twilio.com/v1/Conversations/${c.sid}/Webhooks/${w.sid}`,
    configuration: { url: w.url, method: w.method, filters: w.filters },
    date_created: new Date().toISOString(),
  };
}

/** Answers one REST request; returns the status (0 when the request is held open by a `timeout` failure). */
export function handleRest(ctx: FakeRestContext, req: IncomingMessage, res: ServerResponse, body: string): number {
  const path = (req.url ?? '/').split('?')[0];
  const method = (req.method ?? 'GET').toLowerCase();
  const host = path.split('/')[1] ?? '';
  const op = operationOf(method, `https://x${path}`);
  const form = formOf(body);
  const auth = authenticate(req.headers.authorization, ctx.accounts);
  const rec: FakeRequest = {
    seq: ctx.nextSeq(),
    method: method.toUpperCase(),
    host,
    path: path.slice(host.length + 1),
    op,
    username: auth.username,
    accountSid: auth.accountSid,
    status: 0,
    form,
    webhookEnabled: req.headers['x-twilio-webhook-enabled'] as string | undefined,
    userAgent: req.headers['user-agent'],
  };
  ctx.requests.push(rec);
  rec.status = route(ctx, req, res, rec, method, path);
  return rec.status;
}

function route(ctx: FakeRestContext, _req: IncomingMessage, res: ServerResponse, rec: FakeRequest, method: string, path: string): number {
  if (!rec.accountSid) return twilioError(res, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
  const account = rec.accountSid;
  const cm = CONV_RE.exec(path);
  const failure = takeFailure(ctx.failures, rec.op, cm?.[2]);
  if (failure?.type === 'timeout') {
    ctx.hung.add(res);
    res.on('close', () => ctx.hung.delete(res));
    return 0;
  }
  if (failure) return twilioError(res, failure.status, failure.code ?? (failure.status === 429 ? 20429 : 20500), 'Injected failure', failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
  if (INTERACTIONS_RE.test(path) && method === 'post') return createInteraction(ctx, res, account, rec.form);
  const call = CALL_RE.exec(path);
  if (call && method === 'post') return updateCall(ctx, res, account, call[1], call[2], rec.form);
  if (!cm) return twilioError(res, 404, 20404, 'The requested resource was not found');
  const c = ctx.store.get(account, cm[2]);
  if (!c || (cm[1] && c.serviceSid !== cm[1])) return twilioError(res, 404, 50350, 'Conversation not found');
  const [, , , sub, subSid] = cm;
  if (sub === 'Messages' && !subSid && method === 'post') {
    // The HTTP status of 50377 is UNVERIFIED (Twilio's error pages give only the code): 400 here.
    if (c.state === 'closed') return twilioError(res, 400, 50377, 'Conversation is closed');
    const m = ctx.store.addMessage(c, String(rec.form.Author ?? 'system'), String(rec.form.Body ?? ''), String(rec.form.Attributes ?? '{}'), 'api');
    return json(res, 201, messageJson(c, m));
  }
  if (sub === 'Messages' && !subSid && method === 'get')
    return json(res, 200, { messages: c.messages.map((m) => messageJson(c, m)), meta: { key: 'messages', page: 0, page_size: 50, next_page_url: null } });
  if (sub === 'Webhooks') return webhooks(ctx, res, c, method, subSid, rec.form);
  if (!sub && method === 'post') {
    if (c.state === 'closed') return twilioError(res, 400, 50377, 'Conversation is closed');
    const state = rec.form.State;
    if (state !== undefined && !['active', 'inactive', 'closed'].includes(String(state))) return twilioError(res, 400, 20001, 'Invalid State');
    if (state !== undefined) c.state = String(state) as FakeConversation['state'];
    if (rec.form.Attributes !== undefined) c.attributes = String(rec.form.Attributes);
    ctx.store.record('conversation.updated', account, c.sid, { state: c.state });
    return json(res, 200, conversationJson(c));
  }
  if (!sub && method === 'get') return json(res, 200, conversationJson(c));
  return twilioError(res, 405, 20004, 'Method not allowed');
}

function webhooks(ctx: FakeRestContext, res: ServerResponse, c: FakeConversation, method: string, sid: string | undefined, form: Record<string, string | string[]>): number {
  if (!sid && method === 'get') return json(res, 200, { webhooks: c.webhooks.map((w) => webhookJson(c, w)), meta: { key: 'webhooks', page: 0, page_size: 5, next_page_url: null } });
  if (!sid && method === 'post') {
    if (!form.Target) return twilioError(res, 400, 50368, 'Target missing');
    if (c.webhooks.length >= 5) return twilioError(res, 400, 50365, 'Too many webhooks');
    const filters = form['Configuration.Filters'];
    const w = {
      sid: fakeSid('WH'),
      target: String(form.Target),
      url: form['Configuration.Url'] as string | undefined,
      // The spec's enum is lower case; whether Twilio accepts upper case is UNVERIFIED (§1.8).
      method: String(form['Configuration.Method'] ?? 'post'),
      filters: filters === undefined ? [] : Array.isArray(filters) ? filters : [filters],
    };
    if (w.target === 'webhook' && !w.url) return twilioError(res, 400, 50369, 'Configuration.Url missing');
    c.webhooks.push(w);
    ctx.store.record('webhook.created', c.accountSid, c.sid, { sid: w.sid, url: w.url });
    return json(res, 201, webhookJson(c, w));
  }
  const i = c.webhooks.findIndex((w) => w.sid === sid);
  if (i < 0) return twilioError(res, 404, 50360, 'Conversation webhook not found');
  if (method === 'delete') {
    const [w] = c.webhooks.splice(i, 1);
    ctx.store.record('webhook.removed', c.accountSid, c.sid, { sid: w.sid, url: w.url });
    res.writeHead(204).end();
    return 204;
  }
  return json(res, 200, webhookJson(c, c.webhooks[i]));
}

/** Calls API update (protocols-chat-handoff.md §4.1): `Twiml` and `Url` are mutually exclusive, `Twiml` at most 4,000 characters; the update is recorded. */
function updateCall(ctx: FakeRestContext, res: ServerResponse, account: string, pathAccount: string, callSid: string, form: Record<string, string | string[]>): number {
  if (pathAccount !== account) return twilioError(res, 404, 20404, 'The requested resource was not found');
  const twiml = form.Twiml === undefined ? undefined : String(form.Twiml);
  const url = form.Url === undefined ? undefined : String(form.Url);
  if (twiml !== undefined && url !== undefined) return twilioError(res, 400, 21626, 'Twiml and Url are mutually exclusive');
  if (twiml !== undefined && !/^\s*(<\?xml[^>]*>\s*)?<Response>[\s\S]*<\/Response>\s*$/.test(twiml)) return twilioError(res, 400, 12100, 'Document parse failure');
  // Twilio error 32018: "Twiml size exceeded maximum allowed value of 4000 characters" (its HTTP status is UNVERIFIED: 400 here).
  if (twiml !== undefined && twiml.length > 4000) return twilioError(res, 400, 32018, 'Twiml size exceeded maximum allowed value of 4000 characters');
  const update = { accountSid: account, callSid, twiml, url, status: form.Status === undefined ? undefined : String(form.Status) };
  ctx.store.callUpdates.push(update);
  ctx.store.record('call.updated', account, undefined, { ...update });
  return json(res, 200, { sid: callSid, account_sid: account, status: 'in-progress', uri: `/2010-04-01/Accounts/${account}/Calls/${callSid}.json` });
}

function createInteraction(ctx: FakeRestContext, res: ServerResponse, accountSid: string, form: Record<string, string | string[]>): number {
  let channel: Record<string, unknown>;
  let routing: Record<string, unknown>;
  try {
    channel = JSON.parse(String(form.Channel));
    routing = JSON.parse(String(form.Routing ?? '{}'));
  } catch {
    return twilioError(res, 400, 20001, 'Channel and Routing must be JSON');
  }
  const props = (routing.properties ?? {}) as Record<string, unknown>;
  if (typeof props.workspace_sid !== 'string') return twilioError(res, 400, 20001, 'Routing.properties.workspace_sid is required');
  const media = ((channel.properties ?? {}) as Record<string, unknown>).media_channel_sid;
  if (channel.initiated_by === 'customer' && (typeof media !== 'string' || !ctx.store.get(accountSid, media)))
    return twilioError(res, 400, 20001, 'media_channel_sid must be an existing conversation');
  const i = { sid: fakeSid('KD'), accountSid, channel, routing };
  ctx.store.interactions.push(i);
  ctx.store.record('interaction.created', accountSid, typeof media === 'string' ? media : undefined, { sid: i.sid, channel, routing });
  return json(res, 200, { sid: i.sid, channel: { ...channel, sid: fakeSid('UO') }, routing, url: `https://flex-api.twilio.com/v1/Interactions/${i.sid}`, links: {} });
}
