// The webhooks module alone (about 10 ms to import), not the whole `twilio` package.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/**
 * Twilio's request signature (protocols.md §2.6, protocols-chat-handoff.md §1.7), computed by
 * the official `twilio` library: base64(HMAC-SHA1(authToken, url + each sorted param name + value)).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]> = {}): string {
  return getExpectedTwilioSignature(authToken, url, params);
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
