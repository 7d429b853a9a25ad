import type { Logger } from 'pino';
import type { Clock } from '../audio/clock.js';
import type { HandoffMethod } from '../call/call-events.js';
import type { HandoffRequest, PlatformHandoff } from '../call/handoff.js';
import type { Config } from '../config.js';
import { handoffNcco, handoffTwiml } from './handoff-payloads.js';
import { createTwilioCallUpdater, type TwilioCallUpdater } from './twilio-voice.js';
import { createVonageTransferer, type VonageTransferer } from './vonage-voice.js';

const CALL_SID_RE = /^CA[0-9a-fA-F]{32}$/;

/**
 * The platform side of voice hand-offs for a connector (app.ts puts it in `ConnectorContext`):
 * with Vonage application credentials a Vonage call is transferred (`call_uuid` and a phone or
 * SIP destination needed); with Twilio account credentials a Twilio call is updated with new
 * TwiML (the call's CallSid, an account that matches, and a destination needed). Anything else
 * closes the WebSocket with 4010 and lets the NCCO / TwiML continue.
 */
export function createPlatformHandoff(config: Config, clock: Clock, logger: Logger): PlatformHandoff {
  const h = config.handoff;
  const twilio: TwilioCallUpdater | undefined = h.twilio
    ? createTwilioCallUpdater(h.twilio, {
        baseUrl: config.chat.twilioApiBaseUrl,
        timeoutMs: config.chat.twilioTimeoutMs,
        maxAttempts: config.chat.twilioMaxAttempts,
        retryBaseMs: config.chat.twilioRetryBaseMs,
        retryMaxMs: config.chat.twilioRetryMaxMs,
        clock,
      })
    : undefined;
  const vonage: VonageTransferer | undefined = h.vonage ? createVonageTransferer(h.vonage, clock) : undefined;
  const log = logger.child({ component: 'handoff' });

  const methodFor = (req: HandoffRequest): HandoffMethod => {
    const to = req.destination;
    if (!to || !req.platformCallId) return 'close';
    if (req.platform === 'vonage' && vonage && handoffNcco(to, req.context)) return 'vonage-transfer';
    if (req.platform === 'twilio' && twilio) {
      // The CallSid goes into the Calls API path: only a CallSid does (the client's `start` says it).
      if (!CALL_SID_RE.test(req.platformCallId)) return 'close';
      // Credentials of one account cannot update another account's call (Twilio's start always names the account).
      if (req.accountSid !== h.twilio!.accountSid) {
        log.warn({ reason: 'account mismatch' }, 'Twilio call of another account: handing off by closing the stream');
        return 'close';
      }
      return 'twilio-update';
    }
    return 'close';
  };

  return {
    methodFor,
    async transfer(req) {
      const method = methodFor(req);
      if (method === 'vonage-transfer') return vonage!.transfer(req.platformCallId!, handoffNcco(req.destination!, req.context)!);
      if (method === 'twilio-update') return twilio!.update(req.platformCallId!, handoffTwiml(req.destination!, req.context));
    },
  };
}
