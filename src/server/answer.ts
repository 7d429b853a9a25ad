import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LEX_IDS, routePath } from '../call/routes.js';
import { exampleCredentials, exampleRoute, type Config } from '../config.js';
import { publicOrigin } from './public-url.js';

/** An NCCO (Vonage call control object): a list of actions. */
export type Ncco = { action: string; eventUrl?: string[]; endpoint?: { type: string; uri: string; headers?: Record<string, unknown> }[] }[];

const UUID_RE = /^(CON-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The call's context from the answer webhook's query, as websocket headers: `call_uuid` (the
 * caller's leg, which a Voice API transfer moves), `conversation_uuid` and `caller_id` (`from`).
 */
function callContext(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  const uuid = q.get('uuid') ?? '';
  const conversation = q.get('conversation_uuid') ?? '';
  const from = q.get('from') ?? '';
  if (UUID_RE.test(uuid) && !uuid.startsWith('CON-')) out.call_uuid = uuid;
  if (UUID_RE.test(conversation)) out.conversation_uuid = conversation;
  if (/^\+?[0-9]{3,20}$/.test(from)) out.caller_id = from;
  return out;
}

/**
 * `/answer`: example_ncco.json with its websocket pointed at this server and the example bot,
 * the call's context in its headers, and its `eventUrl` at `VONAGE_EVENT_URL` (default: this
 * server's own `/event`).
 */
export function answerNcco(template: Ncco, req: IncomingMessage, config: Config): Ncco {
  const { ws, http } = publicOrigin(req, config.publicUrl);
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const fromPlatform = q.get('conversation_uuid') ?? q.get('uuid') ?? '';
  const e = config.example;
  const path = routePath(exampleRoute(e, LEX_IDS.sessionId.test(fromPlatform) ? fromPlatform : randomUUID()));
  const { awsKey, awsSecret } = exampleCredentials(e);
  const ncco: Ncco = JSON.parse(JSON.stringify(template));
  for (const action of ncco) {
    if (action.eventUrl) action.eventUrl = [config.vonageEventUrl ?? `${http}/event`];
    for (const ep of action.endpoint ?? []) {
      if (ep.type !== 'websocket') continue;
      ep.uri = `${ws}${path}`;
      if (ep.headers) Object.assign(ep.headers, callContext(q));
      if (ep.headers) ep.headers.aws_key = awsKey;
      if (ep.headers) ep.headers.aws_secret = awsSecret;
    }
  }
  return ncco;
}
