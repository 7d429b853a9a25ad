import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signature: `v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'x-lexconn-signature';
/** Header carrying the signing time, Unix seconds. */
export const TIMESTAMP_HEADER = 'x-lexconn-timestamp';

/**
 * The signature of one delivery (docs/events.md "Verifying a delivery"): HMAC-SHA256 with
 * `EVENTS_SECRET` over `<timestamp>.<raw body>`, hex, prefixed `v1=`. The timestamp is signed
 * with the body, so a captured request cannot be replayed later with a fresh header.
 */
export function signEvent(secret: string, timestampSec: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
}

/** Checks a delivery as a receiver should: the signature matches and the timestamp is within `toleranceSec` of `nowSec`. */
export function verifyEvent(secret: string, body: string, signature: string, timestampSec: string, nowSec: number, toleranceSec = 300): boolean {
  const ts = Number(timestampSec);
  if (!/^\d+$/.test(timestampSec) || Math.abs(nowSec - ts) > toleranceSec) return false;
  const expected = Buffer.from(signEvent(secret, ts, body));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
