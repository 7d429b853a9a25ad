import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { gzipSync, gunzipSync } from 'node:zlib';

/** A request on either transport (HTTP/1.1 or the HTTP/2 compatibility API). */
export type Req = IncomingMessage | Http2ServerRequest;
/** A response on either transport. */
export type Res = ServerResponse | Http2ServerResponse;

/** A request body read in full, with arrival times (epoch ms). */
export interface BodyInfo {
  body: Buffer;
  firstByteAt: number;
  lastByteAt: number;
}

/** One runtime request being answered: the request, its body read in full, the response and its request id. */
export interface Exchange {
  req: Req;
  res: Res;
  body: BodyInfo;
  /** This request's `x-amzn-RequestId` (already set on the response). */
  requestId: string;
}

/** Reads the whole body, noting when its first and last bytes arrived (epoch ms). */
export function readBody(req: Req, limitBytes = 16 * 1024 * 1024): Promise<BodyInfo> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let firstByteAt = 0;
    let lastByteAt = 0;
    req.on('data', (c: Buffer) => {
      const now = Date.now();
      if (!firstByteAt) firstByteAt = now;
      lastByteAt = now;
      size += c.length;
      if (size > limitBytes) {
        reject(new RangeError('request body too large'));
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve({ body: Buffer.concat(parts), firstByteAt: firstByteAt || Date.now(), lastByteAt: lastByteAt || Date.now() }));
    req.on('error', reject);
  });
}

/**
 * Writes an AWS restJson1 error: status, `x-amzn-ErrorType`, JSON `{message}`. The request
 * id and `Date` headers were set on the response when the request arrived.
 */
export function writeError(res: Res, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const body = JSON.stringify({ message });
  (res as ServerResponse).writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': code,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** Writes a JSON 200 response. */
export function writeJson(res: Res, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  (res as ServerResponse).writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** base64 of JSON (Lex V1 header encoding). */
export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}

/** gzip then base64 of JSON (Lex V2 header encoding). */
export function gzb64json(value: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(value))).toString('base64');
}

/** Decodes a gzip+base64 JSON header; undefined when absent or malformed. */
export function fromGzb64json(value: string | string[] | undefined): unknown {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return JSON.parse(gunzipSync(Buffer.from(value, 'base64')).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Decodes a base64 JSON header (V1); undefined when absent or malformed. */
export function fromB64json(value: string | string[] | undefined): unknown {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** True when `s` can travel as a plain HTTP header value (printable ASCII). */
export function headerSafe(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** Resolves after `ms` (0: immediately). */
export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** Kills the connection under a response (reset mid-body). */
export function resetConnection(res: Res): void {
  const h2 = (res as Http2ServerResponse).stream;
  if (h2) h2.close(2 /* NGHTTP2_INTERNAL_ERROR */);
  else (res as ServerResponse).socket?.destroy();
}
