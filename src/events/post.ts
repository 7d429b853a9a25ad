import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * POSTs `body` to `url` and settles with the HTTP status as soon as it arrives; the answer's
 * body is never read (a receiver could send gigabytes, or never end it), and redirects are
 * not followed. Network failures reject with their `code` (`ECONNREFUSED`, `ADDRESS_REFUSED`…).
 * `lookup` replaces DNS resolution (the public-address filter of caller-chosen URLs).
 */
export function postOnce(url: string, headers: Record<string, string>, body: string, opts: { signal: AbortSignal; lookup?: LookupFunction }): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal: opts.signal, lookup: opts.lookup }, (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', reject);
    req.end(body);
  });
}
