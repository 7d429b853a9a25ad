import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ConnectorError } from '../errors.js';

const BODY_MAX = 64 * 1024;

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      if (tooLarge) return; // the rest is read and dropped, so the 400 reaches the client
      body += c;
      if (body.length > BODY_MAX) {
        tooLarge = true;
        body = '';
        reject(new ConnectorError('BODY_INVALID', undefined, { detail: 'body too large' }));
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', (err) => reject(new ConnectorError('BODY_INVALID', undefined, { cause: err })));
  });
}

/** The fields of a Vonage event worth a debug line. Never `headers`: they echo the NCCO's, with `aws_secret`. */
const LOGGED = ['status', 'uuid', 'conversation_uuid', 'direction', 'timestamp', 'reason', 'detail'];

/**
 * `GET|POST /event`: Vonage's event webhook (the `eventUrl` that `/answer` serves by default).
 * Answers 200 with an empty body, which leaves the call's NCCO as it is, and logs the event's
 * status at debug, without its `headers`.
 */
export async function vonageEvent(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
  const fields: Record<string, string> = {};
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  let body: Record<string, unknown> = {};
  if (req.method === 'POST') {
    const text = await readText(req);
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = Object.fromEntries(new URLSearchParams(text));
    }
  }
  for (const k of LOGGED) {
    const v = body[k] ?? query.get(k);
    if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v).slice(0, 200);
  }
  logger.debug({ vonageEvent: fields }, 'vonage event');
  res.writeHead(200, { 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}
