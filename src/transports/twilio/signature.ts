import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Twilio's request signature (protocols.md §2.6, twilio-node `validateRequest`):
 * base64(HMAC-SHA1(authToken, url + each sorted param name + value)).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]> = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const v = params[name];
    for (const value of Array.isArray(v) ? [...new Set(v)].sort() : [v]) data += name + value;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

function withAndWithoutDefaultPort(u: URL): string[] {
  const out = new Set<string>([u.toString()]);
  const defaults: Record<string, string> = { 'https:': '443', 'wss:': '443', 'http:': '80', 'ws:': '80' };
  const def = defaults[u.protocol];
  const copy = new URL(u.toString());
  if (copy.port === '' && def) {
    // URL drops a default port, so add it by hand.
    out.add(u.toString().replace(u.host, `${u.hostname}:${def}`));
  } else if (copy.port === def) {
    copy.port = '';
    out.add(copy.toString());
  }
  return [...out];
}

/**
 * The URLs Twilio may have signed for this request: the public origin (PUBLIC_URL, else
 * X-Forwarded-Host/Host) with the request path, in `schemes` (e.g. wss then https for a
 * WebSocket upgrade), each with and without the default port.
 */
export function candidateUrls(req: IncomingMessage, schemes: string[], publicUrl?: string): string[] {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0].trim();
  const host = publicUrl ? new URL(publicUrl).host : (first(req.headers['x-forwarded-host']) ?? req.headers.host ?? '');
  const out: string[] = [];
  for (const scheme of schemes) {
    try {
      out.push(...withAndWithoutDefaultPort(new URL(`${scheme}://${host}${req.url ?? '/'}`)));
    } catch {
      // a Host header that is not a host: no candidate
    }
  }
  return out;
}

/** Constant-time check of `signature` against every candidate URL. */
export function validTwilioSignature(authToken: string, signature: string | undefined, urls: string[], params: Record<string, string | string[]> = {}): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature);
  let ok = false;
  for (const url of urls) {
    const expected = Buffer.from(twilioSignature(authToken, url, params));
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
