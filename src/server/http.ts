import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectorError } from '../errors.js';

/** Sends a whole response, never cached. */
export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** Answers an error with its code's HTTP status (`ERRORS`) and fixed message. */
export function sendError(res: ServerResponse, err: ConnectorError): void {
  if (res.headersSent) return void res.destroy();
  send(res, err.status, 'text/plain', `${err.message}\n`);
}

/** Reads an `application/x-www-form-urlencoded` body of at most `limit` bytes; BODY_INVALID otherwise. */
export function readForm(req: IncomingMessage, limit = 64 * 1024): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > limit) {
        req.destroy();
        reject(new ConnectorError('BODY_INVALID', undefined, { detail: 'body too large' }));
      }
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', (err) => reject(new ConnectorError('BODY_INVALID', undefined, { cause: err })));
  });
}
