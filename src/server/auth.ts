import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import type { ErrorCode } from '../errors.js';
import { validTwilioSignature } from '../transports/twilio/signature.js';

/**
 * Request authentication shared by WebSocket upgrades and HTTP routes: a bearer token
 * (`CONNECTOR_AUTH_TOKEN`) and Twilio's request signature (`TWILIO_AUTH_TOKEN`).
 */

/** What a request's credential says: none given, a valid one, or a wrong one. */
export type AuthResult = 'absent' | 'valid' | 'invalid';

/** Constant-time comparison of two secrets of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** `Authorization: Bearer <token>` checked against `token`. */
export function bearerAuth(req: IncomingMessage, token: string): AuthResult {
  const header = req.headers.authorization;
  if (header === undefined) return 'absent';
  const m = /^Bearer (.+)$/i.exec(header);
  return m && safeEqual(m[1], token) ? 'valid' : 'invalid';
}

const DEFAULT_PORTS: Record<string, string> = { 'https:': '443', 'wss:': '443', 'http:': '80', 'ws:': '80' };

function withAndWithoutDefaultPort(u: URL): string[] {
  const out = new Set<string>([u.toString()]);
  const def = DEFAULT_PORTS[u.protocol];
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
 * `X-Twilio-Signature` checked with `authToken` over this request's URL in `schemes`
 * (`['https', 'http']` for webhooks, `['wss', 'https']` for Media Streams upgrades) and the
 * form `params` of a POST.
 */
export function twilioAuth(req: IncomingMessage, authToken: string, schemes: string[], publicUrl?: string, params: Record<string, string> = {}): AuthResult {
  const sig = req.headers['x-twilio-signature'];
  if (sig === undefined) return 'absent';
  return validTwilioSignature(authToken, typeof sig === 'string' ? sig : undefined, candidateUrls(req, schemes, publicUrl), params) ? 'valid' : 'invalid';
}

/**
 * The upgrade policy: a wrong bearer token is refused (401); with `TWILIO_AUTH_TOKEN` set,
 * an upgrade needs a valid Twilio signature or a valid bearer token (403). `preAuthorized`
 * means the first message's `token` is not needed; `twilioSignature` is the valid signature
 * that admitted it (for the one-live-connection-per-signature rule).
 */
export function authorizeUpgrade(req: IncomingMessage, config: Config): { refuse: ErrorCode } | { preAuthorized: boolean; twilioSignature?: string } {
  const bearer = config.connectorAuthToken ? bearerAuth(req, config.connectorAuthToken) : 'absent';
  if (bearer === 'invalid') return { refuse: 'UNAUTHORIZED' };
  if (!config.twilioAuthToken) return { preAuthorized: bearer === 'valid' };
  // Signed over the wss:// URL; https:// accepted too.
  const twilio = twilioAuth(req, config.twilioAuthToken, ['wss', 'https'], config.publicUrl);
  if (twilio === 'invalid' || (twilio === 'absent' && bearer !== 'valid')) return { refuse: 'SIGNATURE_INVALID' };
  const sig = req.headers['x-twilio-signature'];
  return { preAuthorized: true, twilioSignature: twilio === 'valid' && typeof sig === 'string' ? sig : undefined };
}
