import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exampleRoute, type Config } from '../config.js';
import { LEX_IDS, routePath } from '../call/routes.js';
import type { Metrics } from '../metrics.js';
import { publicOrigin } from './public-url.js';
import { exampleTwiml } from './twiml.js';
import { candidateUrls, validTwilioSignature } from '../transports/twilio/signature.js';

/** State the HTTP endpoints report. */
export interface HttpState {
  draining: boolean;
  activeCalls(): number;
}

type Ncco = { action: string; endpoint?: { type: string; uri: string; headers?: Record<string, unknown> }[] }[];

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** `/answer`: example_ncco.json with its websocket pointed at this server and the example bot. */
export function answerNcco(template: Ncco, req: IncomingMessage, config: Config): Ncco {
  const { ws } = publicOrigin(req, config.publicUrl);
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const fromPlatform = q.get('conversation_uuid') ?? q.get('uuid') ?? '';
  const e = config.example;
  const path = routePath(exampleRoute(e, LEX_IDS.sessionId.test(fromPlatform) ? fromPlatform : randomUUID()));
  const ncco: Ncco = JSON.parse(JSON.stringify(template));
  for (const action of ncco) {
    for (const ep of action.endpoint ?? []) {
      if (ep.type !== 'websocket') continue;
      ep.uri = `${ws}${path}`;
      if (ep.headers && e.awsKey) ep.headers.aws_key = e.awsKey;
      if (ep.headers && e.awsSecret) ep.headers.aws_secret = e.awsSecret;
    }
  }
  return ncco;
}

function readForm(req: IncomingMessage, limit = 64 * 1024): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > limit) {
        req.destroy();
        reject(new RangeError('body too large'));
      }
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

/** `/twiml`, with `X-Twilio-Signature` checked when TWILIO_AUTH_TOKEN is set (403 otherwise). */
async function twiml(req: IncomingMessage, res: ServerResponse, config: Config): Promise<void> {
  const params = req.method === 'POST' ? await readForm(req) : {};
  if (config.twilioAuthToken) {
    const sig = req.headers['x-twilio-signature'];
    const urls = candidateUrls(req, ['https', 'http'], config.publicUrl);
    if (!validTwilioSignature(config.twilioAuthToken, typeof sig === 'string' ? sig : undefined, urls, params)) return send(res, 403, 'text/plain', 'forbidden\n');
  }
  send(res, 200, 'text/xml', exampleTwiml(req, config, params));
}

/** Plain HTTP: /answer, /twiml, /ping, /health, /ready, /metrics; anything else 404. */
export function createHttpHandler(config: Config, metrics: Metrics, state: HttpState, nccoPath: string) {
  const template = JSON.parse(readFileSync(nccoPath, 'utf8')) as Ncco;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && (path === '/answer' || path === '/twiml'))) return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/twiml':
        twiml(req, res, config).catch(() => send(res, 400, 'text/plain', 'bad request\n'));
        return;
      case '/answer':
        return send(res, 200, 'application/json', JSON.stringify(answerNcco(template, req, config), null, 2));
      case '/ping':
        return send(res, 200, 'text/plain', 'ok');
      case '/health':
        return send(res, 200, 'application/json', JSON.stringify({ status: 'ok', activeCalls: state.activeCalls() }));
      case '/ready':
        return state.draining ? send(res, 503, 'application/json', JSON.stringify({ ready: false, draining: true })) : send(res, 200, 'application/json', JSON.stringify({ ready: true }));
      case '/metrics':
        metrics.registry
          .metrics()
          .then((text) => send(res, 200, metrics.registry.contentType, text))
          .catch(() => send(res, 500, 'text/plain', 'metrics unavailable\n'));
        return;
      default:
        return send(res, 404, 'text/plain', 'not found\n');
    }
  };
}
