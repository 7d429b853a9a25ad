import type { HandoffConfig } from '../call/handoff-config.js';
import { createTwilioHttpClient, type TwilioHttpOptions } from '../chat/twilio-http-client.js';
import { ConnectorError } from '../errors.js';

type TwilioFactory = typeof import('twilio');
let loaded: Promise<TwilioFactory> | undefined;

/** The `twilio` package, loaded on first use (about 110 ms of import time, docs/dependencies.md). */
function loadTwilio(): Promise<TwilioFactory> {
  loaded ??= import('twilio').then((m) => (m as unknown as { default: TwilioFactory }).default);
  return loaded;
}

/** Settings of the REST transport (the chat channel's `TWILIO_*` transport keys). */
export type TwilioVoiceOptions = Pick<TwilioHttpOptions, 'baseUrl' | 'timeoutMs' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'clock'>;

/** Updates live Twilio calls with new TwiML (Calls API `POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json`, `Twiml=`). */
export interface TwilioCallUpdater {
  update(callSid: string, twiml: string): Promise<void>;
}

/**
 * The call update through the official helper library (`client.calls(sid).update({ twiml })`)
 * and the chat channel's retrying transport (429, 5xx, timeouts; `TWILIO_API_BASE_URL` for the
 * fake). A failure after the retries rejects with HANDOFF_FAILED, its detail the HTTP status
 * (21220 "call not in progress" when the caller already hung up).
 */
export function createTwilioCallUpdater(creds: NonNullable<HandoffConfig['twilio']>, o: TwilioVoiceOptions): TwilioCallUpdater {
  let client: Promise<import('twilio').Twilio> | undefined;
  const get = () =>
    (client ??= loadTwilio().then((twilio) => {
      const httpClient = createTwilioHttpClient(twilio.RequestClient, o);
      return twilio(creds.username, creds.password.reveal(), { accountSid: creds.accountSid, httpClient });
    }));
  return {
    async update(callSid, twiml) {
      try {
        await (await get()).calls(callSid).update({ twiml });
      } catch (err) {
        const status = (err as { status?: unknown }).status;
        throw new ConnectorError('HANDOFF_FAILED', undefined, { detail: typeof status === 'number' ? String(status) : 'network', cause: err });
      }
    },
  };
}
