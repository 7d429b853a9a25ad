import type { IncomingMessage } from 'node:http';
// The webhooks module alone (about 10 ms to import), not the whole `twilio` package.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/**
 * Twilio's request signature (protocols.md §2.6, protocols-chat-handoff.md §1.7), computed by
 * the official `twilio` library: base64(HMAC-SHA1(authToken, url + each sorted param name + value)).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]> = {}): string {
  return getExpectedTwilioSignature(authToken, url, params);
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

/**
 * Checks `signature` against every candidate URL with the library's `validateRequest`
 * (constant-time; it also tries each URL with and without its port and with the query string
 * re-encoded, as Twilio's own servers may have signed it).
 */
export function validTwilioSignature(authToken: string, signature: string | undefined, urls: string[], params: Record<string, string | string[]> = {}): boolean {
  if (!signature) return false;
  let ok = false;
  for (const url of urls) {
    try {
      if (validateRequest(authToken, signature, url, params)) ok = true;
    } catch {
      // a candidate that is not a URL matches nothing
    }
  }
  return ok;
}
