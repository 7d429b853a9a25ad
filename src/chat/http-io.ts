import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChatError } from './chat-errors.js';

/** Writes a JSON answer (no caching). */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** Writes `{ "error": { "code", "message" } }` with the error's status and headers. */
export function sendError(res: ServerResponse, err: ChatError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
}

/**
 * Reads a request body as UTF-8 up to `limitBytes`; beyond that (or a larger
 * `Content-Length`) rejects with CHAT_BODY_TOO_LARGE (413) and stops reading.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) {
    req.resume();
    return Promise.reject(new ChatError('CHAT_BODY_TOO_LARGE', 413, `body must be at most ${limitBytes} bytes`, { connection: 'close' }));
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limitBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new ChatError('CHAT_BODY_TOO_LARGE', 413, `body must be at most ${limitBytes} bytes`, { connection: 'close' }));
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => reject(new ChatError('CHAT_BODY_TOO_LARGE', 400, 'request body could not be read')));
  });
}

/** The media type of a request without parameters, lower case ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}
