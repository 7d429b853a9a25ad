import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LEX_IDS, routePath } from '../call/routes.js';
import { exampleCredentials, exampleRoute, type Config } from '../config.js';
import { publicOrigin } from './public-url.js';

/** An NCCO (Vonage call control object): a list of actions. */
export type Ncco = { action: string; eventUrl?: string[]; endpoint?: { type: string; uri: string; headers?: Record<string, unknown> }[] }[];

/**
 * `/answer`: example_ncco.json with its websocket pointed at this server and the example bot,
 * and its `eventUrl` at `EVENT_URL` (default: this server's own `/event`).
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
    if (action.eventUrl) action.eventUrl = [config.eventUrl ?? `${http}/event`];
    for (const ep of action.endpoint ?? []) {
      if (ep.type !== 'websocket') continue;
      ep.uri = `${ws}${path}`;
      if (ep.headers) ep.headers.aws_key = awsKey;
      if (ep.headers) ep.headers.aws_secret = awsSecret;
    }
  }
  return ncco;
}
