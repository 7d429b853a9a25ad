import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { ChatConfig } from './chat-config.js';
import type { ChatMetrics } from './chat-metrics.js';
import { ChatError } from './chat-errors.js';
import { decideOutcome } from '../call/handoff-rules.js';
import { mediaType, readBody, sendError, sendJson } from './http-io.js';
import type { KeyedQueue } from './keyed-queue.js';
import { renderMessages } from './lex-messages.js';
import { summarize, type LexText, type TextCredentials } from './lex-text.js';
import { LEX_TEXT_MAX } from './twilio-turn.js';
import type { Clock } from '../audio/clock.js';
import type { ConnectorError } from '../errors.js';
import { safeEqual } from '../server/auth.js';

/** What the generic chat API uses. */
export interface ChatApiDeps {
  chat: ChatConfig;
  connectorAuthToken?: string;
  lex: LexText;
  queue: KeyedQueue;
  metrics: ChatMetrics;
  errors: Counter<'code'>;
  clock: Clock;
  logger: Logger;
  draining(): boolean;
}

/** `POST /chat/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text`. */
export const CHAT_API_RE = /^\/chat\/bots\/([^/]*)\/botAliases\/([^/]*)\/botLocales\/([^/]*)\/sessions\/([^/]*)\/text$/;

const IDS: [string, RegExp, string][] = [
  ['botId', /^[0-9a-zA-Z]{10}$/, 'must be 10 letters or digits'],
  ['botAliasId', /^[0-9a-zA-Z]{10}$/, 'must be 10 letters or digits'],
  ['localeId', /^[a-z]{2,3}_[A-Z0-9]{2,3}$/, 'must be a Lex locale such as en_US'],
  ['sessionId', /^[0-9a-zA-Z._:-]{2,100}$/, 'must be 2-100 characters of 0-9 a-z A-Z . _ : -'],
];
const BODY_MAX = 32 * 1024;
// Lex: session + request attributes together at most 12 KB (protocols.md §3.2).
const ATTRIBUTES_MAX_BYTES = 12 * 1024;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** HTTP status for a Lex error code of src/bots/errors.ts. */
const LEX_STATUS: Record<string, number> = {
  LEX_THROTTLED: 429,
  LEX_UNAVAILABLE: 502,
  LEX_TIMEOUT: 504,
  LEX_CONFLICT: 409,
  LEX_ACCESS_DENIED: 403,
  LEX_AUTH_FAILED: 403,
  LEX_NOT_FOUND: 404,
  LEX_BAD_REQUEST: 400,
};

function bad(code: ConstructorParameters<typeof ChatError>[0], message: string, status = 400): ChatError {
  return new ChatError(code, status, message);
}

function authorize(req: IncomingMessage, token: string | undefined): void {
  if (!token) return;
  const h = req.headers.authorization;
  if (!h) throw new ChatError('CHAT_UNAUTHORIZED', 401, 'Authorization: Bearer <CONNECTOR_AUTH_TOKEN> required', { 'www-authenticate': 'Bearer' });
  const m = /^Bearer (.+)$/i.exec(h);
  if (!m || !safeEqual(m[1], token)) throw new ChatError('CHAT_FORBIDDEN', 403, 'wrong bearer token');
}

function ids(path: string): { botId: string; botAliasId: string; localeId: string; sessionId: string } {
  const m = CHAT_API_RE.exec(path)!;
  const out: Record<string, string> = {};
  IDS.forEach(([name, re, rule], i) => {
    let v: string;
    try {
      v = decodeURIComponent(m[i + 1]);
    } catch {
      throw bad('CHAT_BAD_ID', `${name} ${rule}`);
    }
    if (!re.test(v)) throw bad('CHAT_BAD_ID', `${name} ${rule}`);
    out[name] = v;
  });
  return out as ReturnType<typeof ids>;
}

function attributes(v: unknown, name: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad('CHAT_BAD_ATTRIBUTES', `${name} must be an object of strings`);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw bad('CHAT_BAD_ATTRIBUTES', `${name} values must be strings`);
    if (k.startsWith('x-amz-lex:')) throw bad('CHAT_BAD_ATTRIBUTES', `${name} must not use the reserved x-amz-lex: prefix`);
  }
  return v as Record<string, string>;
}

/** The request body: `{ text, sessionAttributes?, requestAttributes? }`, validated. */
function parseBody(raw: string): { text: string; sessionAttributes?: Record<string, string>; requestAttributes?: Record<string, string> } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw bad('CHAT_BAD_JSON', 'body must be a JSON object');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('CHAT_BAD_JSON', 'body must be a JSON object');
  const b = json as Record<string, unknown>;
  if (typeof b.text !== 'string' || b.text.trim() === '') throw bad('CHAT_TEXT_MISSING', 'text is required: a non-empty string');
  if ([...b.text].length > LEX_TEXT_MAX) throw bad('CHAT_TEXT_TOO_LONG', `text must be at most ${LEX_TEXT_MAX} characters`);
  const sessionAttributes = attributes(b.sessionAttributes, 'sessionAttributes');
  const requestAttributes = attributes(b.requestAttributes, 'requestAttributes');
  if (Buffer.byteLength(JSON.stringify(sessionAttributes ?? {})) + Buffer.byteLength(JSON.stringify(requestAttributes ?? {})) > ATTRIBUTES_MAX_BYTES) {
    throw bad('CHAT_BAD_ATTRIBUTES', `sessionAttributes and requestAttributes together must be at most ${ATTRIBUTES_MAX_BYTES} bytes`);
  }
  return { text: b.text, sessionAttributes, requestAttributes };
}

const header = (req: IncomingMessage, dashed: string, underscored: string): string | undefined => {
  for (const name of [dashed, underscored]) {
    const v = req.headers[name];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
};

/**
 * Per-request AWS credentials: `X-AWS-Key`, `X-AWS-Secret`, `X-AWS-Session-Token`,
 * `X-AWS-Region` (or the voice routes' `aws_key`, `aws_secret`, `aws_session_token`,
 * `aws_region` spelling). None: the server's own credentials when CHAT_SERVER_CREDENTIALS is on.
 */
function credentials(req: IncomingMessage, serverCredentials: boolean): { region: string; creds?: TextCredentials } {
  const region = header(req, 'x-aws-region', 'aws_region') ?? 'us-east-1';
  if (!REGION_RE.test(region)) throw bad('CHAT_BAD_CREDENTIALS', 'X-AWS-Region has an invalid format');
  const key = header(req, 'x-aws-key', 'aws_key');
  const secret = header(req, 'x-aws-secret', 'aws_secret');
  const token = header(req, 'x-aws-session-token', 'aws_session_token');
  if (!key && !secret) {
    if (serverCredentials) return { region };
    throw bad('CHAT_CREDENTIALS_MISSING', 'X-AWS-Key and X-AWS-Secret headers are required');
  }
  if (!key || !/^[A-Za-z0-9]{16,128}$/.test(key)) throw bad('CHAT_BAD_CREDENTIALS', 'X-AWS-Key must be 16-128 letters or digits');
  if (!secret || secret.length > 256) throw bad('CHAT_BAD_CREDENTIALS', 'X-AWS-Secret is required (at most 256 characters)');
  if (token && token.length > 8192) throw bad('CHAT_BAD_CREDENTIALS', 'X-AWS-Session-Token must be at most 8192 characters');
  return { region, creds: { accessKeyId: key, secretAccessKey: secret, sessionToken: token } };
}

/** Handles one generic chat API request (the path already matched `CHAT_API_RE`). Never throws. */
export async function chatApi(deps: ChatApiDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  try {
    if (req.method !== 'POST') throw new ChatError('CHAT_METHOD_NOT_ALLOWED', 405, 'use POST', { allow: 'POST' });
    if (deps.draining()) {
      deps.metrics.queueDrops.inc({ channel: 'api', reason: 'draining' });
      throw new ChatError('CHAT_DRAINING', 503, 'server shutting down', { 'retry-after': '1' });
    }
    authorize(req, deps.connectorAuthToken);
    const address = ids(path);
    if (mediaType(req) !== 'application/json') throw new ChatError('CHAT_UNSUPPORTED_MEDIA_TYPE', 415, 'Content-Type must be application/json');
    const body = parseBody(await readBody(req, BODY_MAX));
    const { region, creds } = credentials(req, deps.chat.serverCredentials);
    const result = await new Promise<unknown>((resolve, reject) => {
      const key = `api/${address.botId}/${address.botAliasId}/${address.localeId}/${address.sessionId}`;
      const refused = deps.queue.push(key, () => turn(deps, region, creds, { ...address, ...body }).then(resolve, reject));
      if (refused) {
        deps.metrics.queueDrops.inc({ channel: 'api', reason: refused });
        reject(new ChatError('CHAT_BUSY', 429, 'too many requests waiting for this session', { 'retry-after': '1' }));
      }
    });
    sendJson(res, 200, result);
  } catch (err) {
    if (err instanceof ChatError) {
      if (err.status >= 500 || err.status === 429) deps.errors.inc({ code: err.code });
      return sendError(res, err);
    }
    const code = (err as ConnectorError).code;
    if (code && code in LEX_STATUS) {
      deps.errors.inc({ code });
      deps.logger.warn({ code }, 'chat API: Lex request failed');
      return sendJson(res, LEX_STATUS[code], { error: { code, message: (err as Error).message } });
    }
    deps.errors.inc({ code: 'CHAT_INTERNAL' });
    deps.logger.error({ err: { name: (err as Error)?.name, code } }, 'chat API: internal error');
    sendJson(res, 500, { error: { code: 'CHAT_INTERNAL', message: 'internal error' } });
  }
}

async function turn(deps: ChatApiDeps, region: string, creds: TextCredentials | undefined, t: Parameters<LexText['recognize']>[2]): Promise<unknown> {
  const t0 = deps.clock.now();
  let r;
  try {
    r = await deps.lex.recognize(region, creds, t);
  } finally {
    deps.metrics.lexLatency.observe({ channel: 'api' }, (deps.clock.now() - t0) / 1000);
  }
  deps.metrics.turns.inc({ channel: 'api' });
  const outcome = decideOutcome(r, deps.chat.rules);
  if (outcome.handoff) deps.metrics.handoffs.inc({ channel: 'api', result: 'ok' });
  if (outcome.close) deps.metrics.closes.inc({ channel: 'api', result: 'ok' });
  const s = summarize(r);
  deps.logger.debug({ sessionId: t.sessionId, botId: t.botId, intent: s.intent?.name, dialogAction: s.dialogAction.type, reason: outcome.reason }, 'chat API turn');
  return {
    sessionId: r.sessionId ?? t.sessionId,
    messages: renderMessages(r.messages),
    intent: s.intent,
    dialogAction: s.dialogAction,
    sessionAttributes: s.sessionAttributes,
    requestAttributes: r.requestAttributes ?? {},
    nluConfidence: s.nluConfidence ?? null,
    handoff: outcome.handoff,
    closed: outcome.close,
    reason: outcome.reason,
  };
}
