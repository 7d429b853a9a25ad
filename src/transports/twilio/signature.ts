import { createHmac, timingSafeEqual } from 'node:crypto';

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
