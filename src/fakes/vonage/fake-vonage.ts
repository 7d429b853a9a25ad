import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Voice API call-control request as the fake saw it (the JWT itself is never recorded). */
export interface FakeVonageRequest {
  seq: number;
  method: string;
  path: string;
  /** The call leg addressed (`PUT /v1/calls/{uuid}`). */
  uuid?: string;
  status: number;
  /** Why a request was refused (`missing bearer token`, `bad signature`, `expired`, …). */
  refused?: string;
  /** The JSON body: `{"action":"transfer","destination":{"type":"ncco","ncco":[…]}}`, `{"action":"hangup"}`, … */
  body?: Record<string, unknown>;
  /** The verified JWT's claims. */
  claims?: Record<string, unknown>;
}

/** A scripted failure: an HTTP status (with Vonage's problem body), or no answer at all. */
export type FakeVonageFailure = { type: 'status'; status: number } | { type: 'timeout' };

/** Settings of the fake; the application's public key verifies every request's JWT. */
export interface FakeVonageOptions {
  applicationId: string;
  /** PEM of the application's public key (the connector holds the private one). */
  publicKey: string;
  host?: string;
  port?: number;
}

/** A running fake of the Vonage Voice API call-control endpoint (docs/handoff.md "Testing without an account"). */
export interface FakeVonage {
  /** `http://127.0.0.1:PORT`: give it to the connector as `VONAGE_API_BASE_URL`. */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: FakeVonageRequest[];
  /** Successful transfers: the call leg and the NCCO it was moved to. */
  readonly transfers: { uuid: string; ncco: unknown[] }[];
  /** The next `times` call-control requests fail this way. */
  fail(failure: FakeVonageFailure, times?: number): void;
  close(): Promise<void>;
}

const CALL_RE = /^\/v1\/calls\/([0-9a-fA-F-]{36})$/;

function b64json(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Checks a Voice API JWT as Vonage does: RS256, signed with the application's private key
 * (verified here with its public key, independently of the library that signed it), the
 * application id, `iat`, `jti`, and `exp` not passed. Returns the claims, or why it is refused.
 */
export function verifyVonageJwt(header: string | undefined, key: KeyObject, applicationId: string, nowSec: number): { claims?: Record<string, unknown>; refused?: string } {
  const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) return { refused: 'missing bearer token' };
  const head = b64json(m[1]);
  const claims = b64json(m[2]);
  if (head?.alg !== 'RS256') return { refused: 'alg must be RS256' };
  if (!claims) return { refused: 'malformed claims' };
  const ok = createVerify('RSA-SHA256').update(`${m[1]}.${m[2]}`).verify(key, Buffer.from(m[3], 'base64url'));
  if (!ok) return { refused: 'bad signature' };
  if (claims.application_id !== applicationId) return { refused: 'wrong application_id' };
  if (typeof claims.iat !== 'number' || typeof claims.jti !== 'string') return { refused: 'iat and jti required' };
  if (typeof claims.exp === 'number' && claims.exp < nowSec) return { refused: 'expired' };
  return { claims };
}

function problem(res: ServerResponse, status: number, title: string, detail: string): number {
  const body = JSON.stringify({ type: `https://developer.nexmo.com/api-errors#${status}`, title, detail });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return status;
}

/** Starts the fake on `host:port` (default 127.0.0.1:0). */
export async function createFakeVonage(opts: FakeVonageOptions): Promise<FakeVonage> {
  const key = createPublicKey(opts.publicKey);
  const requests: FakeVonageRequest[] = [];
  const transfers: { uuid: string; ncco: unknown[] }[] = [];
  const failures: { failure: FakeVonageFailure; times: number }[] = [];
  const hung = new Set<ServerResponse>();

  const handle = (req: IncomingMessage, res: ServerResponse, text: string): number => {
    const path = (req.url ?? '/').split('?')[0];
    const rec: FakeVonageRequest = { seq: requests.length + 1, method: req.method ?? 'GET', path, status: 0 };
    requests.push(rec);
    const m = CALL_RE.exec(path);
    if (!m) return (rec.status = problem(res, 404, 'Not found', 'no such endpoint'));
    rec.uuid = m[1];
    const auth = verifyVonageJwt(req.headers.authorization, key, opts.applicationId, Math.floor(Date.now() / 1000));
    rec.claims = auth.claims;
    if (auth.refused) {
      rec.refused = auth.refused;
      return (rec.status = problem(res, 401, 'Unauthorized', auth.refused));
    }
    try {
      rec.body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return (rec.status = problem(res, 400, 'Bad request', 'body must be JSON'));
    }
    if (req.method !== 'PUT') return (rec.status = problem(res, 405, 'Method not allowed', 'PUT only'));
    const f = failures[0];
    if (f) {
      if (--f.times === 0) failures.shift();
      if (f.failure.type === 'timeout') {
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return 0;
      }
      return (rec.status = problem(res, f.failure.status, 'Injected failure', 'scripted by the test'));
    }
    const body = rec.body;
    const dest = body.destination as { type?: unknown; ncco?: unknown; url?: unknown } | undefined;
    if (body.action === 'transfer') {
      if (dest?.type !== 'ncco' || (!Array.isArray(dest.ncco) && !Array.isArray(dest.url))) return (rec.status = problem(res, 400, 'Bad request', 'destination must be {type: ncco, ncco | url}'));
      transfers.push({ uuid: m[1], ncco: Array.isArray(dest.ncco) ? dest.ncco : [] });
    } else if (!['hangup', 'mute', 'unmute', 'earmuff', 'unearmuff'].includes(String(body.action))) {
      return (rec.status = problem(res, 400, 'Bad request', 'unknown action'));
    }
    res.writeHead(204).end();
    return (rec.status = 204);
  };

  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      handle(req, res, text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    requests,
    transfers,
    fail: (failure, times = 1) => void failures.push({ failure, times }),
    close: async () => {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
