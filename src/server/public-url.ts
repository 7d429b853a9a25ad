import type { IncomingMessage } from 'node:http';

/**
 * This server's public origin as the caller's platform sees it: `PUBLIC_URL` when set,
 * else X-Forwarded-Proto/Host (ngrok, load balancers), else the Host header.
 */
export function publicOrigin(req: IncomingMessage, configured?: string): { http: string; ws: string } {
  let origin = configured;
  if (!origin) {
    const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0].trim();
    const proto = first(req.headers['x-forwarded-proto']) ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
    const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
    // Only hostnames and ports: a Host header must not inject a path into generated URLs.
    const safeHost = /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host) ? host : 'localhost';
    origin = `${proto === 'https' ? 'https' : 'http'}://${safeHost}`;
    // A host that matches the pattern may still not be one (1.2.3.256, 0x100000000, port 99999).
    if (!URL.canParse(origin)) origin = `${proto === 'https' ? 'https' : 'http'}://localhost`;
  }
  const u = new URL(origin);
  return { http: u.origin, ws: `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}` };
}
