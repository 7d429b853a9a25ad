import type { HandoffContext } from '../call/call-events.js';
import type { HandoffDestination } from '../call/handoff.js';

/**
 * What the platforms get for a hand-off, built by pure functions: the TwiML of a Twilio call
 * update and the NCCO of a Vonage transfer, with the agent's context where the platform has a
 * place for it (docs/handoff.md "What the agent gets").
 */

/**
 * Task attributes of a queued call are capped at 4,096 characters here: Studio's Enqueue Call
 * widget allows 1,024 and the cap of TwiML `<Task>` is UNVERIFIED (protocols-chat-handoff.md
 * §4.4). A call update's whole TwiML is capped by Twilio at 4,000 characters (error 32018).
 */
const TASK_ATTRIBUTES_MAX = 4096;
/** Twilio refuses a call update whose `Twiml` is longer (error 32018, "Twiml size exceeded maximum allowed value of 4000 characters"). */
export const TWIML_MAX = 4000;

/** Escapes an attribute value. */
function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Escapes element text: quotes need no escaping there, and JSON is full of them. */
function xmlText(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

/**
 * Flex / TaskRouter task attributes of a voice hand-off: who is calling and what the bot learned,
 * made to `fits`: the oldest transcript lines go first, then the session attributes, then the
 * slots; who is calling, the rule and the intent always stay.
 */
export function taskAttributes(context: HandoffContext, fits: (attrs: Record<string, unknown>) => boolean = (a) => JSON.stringify(a).length <= TASK_ATTRIBUTES_MAX): Record<string, unknown> {
  const build = (transcript: HandoffContext['transcript'], sessionAttributes: HandoffContext['sessionAttributes'], slots: HandoffContext['slots']) => ({
    type: 'inbound',
    ...(context.callerId ? { name: context.callerId, from: context.callerId } : {}),
    ...(context.platformCallId ? { call_sid: context.platformCallId } : {}),
    lex: { reason: context.reason, intent: context.intentName, slots, sessionAttributes, transcript },
  });
  const transcript = [...context.transcript];
  for (;;) {
    const attrs = build(transcript, context.sessionAttributes, context.slots);
    if (fits(attrs)) return attrs;
    if (transcript.length === 0) break;
    transcript.shift();
  }
  const lean = build([], undefined, context.slots);
  return fits(lean) ? lean : build([], undefined, undefined);
}

/** Custom SIP headers of a hand-off to a SIP destination: the rule and the intent, short. */
function sipContext(context: HandoffContext): Record<string, string> {
  return { 'X-Lex-Reason': context.reason.slice(0, 100), ...(context.intentName ? { 'X-Lex-Intent': context.intentName } : {}) };
}

/**
 * The TwiML a Twilio call update runs: `<Dial>` a number or a SIP URI (with the context as
 * `X-` headers in the URI, Twilio's way of setting custom SIP headers), `<Enqueue>` a named
 * queue, or `<Enqueue workflowSid>` with the context as task attributes (Flex).
 */
export function handoffTwiml(to: HandoffDestination, context: HandoffContext): string {
  switch (to.kind) {
    case 'phone':
      return `<Response><Dial><Number>${xml(to.number)}</Number></Dial></Response>`;
    case 'sip': {
      const sep = to.uri.includes('?') ? '&' : '?';
      const headers = Object.entries(sipContext(context))
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
        .join('&');
      return `<Response><Dial><Sip>${xml(to.uri + sep + headers)}</Sip></Dial></Response>`;
    }
    case 'queue':
      return `<Response><Enqueue>${xml(to.name)}</Enqueue></Response>`;
    case 'workflow': {
      const enqueue = (attrs: Record<string, unknown>) => `<Response><Enqueue workflowSid="${xml(to.sid)}"><Task>${xmlText(JSON.stringify(attrs))}</Task></Enqueue></Response>`;
      return enqueue(taskAttributes(context, (attrs) => JSON.stringify(attrs).length <= TASK_ATTRIBUTES_MAX && enqueue(attrs).length <= TWIML_MAX));
    }
    default: {
      const never: never = to;
      return never;
    }
  }
}

/** An NCCO action (Vonage call control object). */
export type NccoAction = Record<string, unknown> & { action: string };

/**
 * The NCCO of a Vonage transfer: `connect` to a phone number, or to a SIP URI with the context
 * as SIP headers (Vonage's `headers` on a sip endpoint; how Vonage names them on the wire is
 * UNVERIFIED). Undefined for destinations Vonage has no equivalent of (queues, workflows).
 */
export function handoffNcco(to: HandoffDestination, context: HandoffContext): NccoAction[] | undefined {
  switch (to.kind) {
    case 'phone':
      return [{ action: 'connect', endpoint: [{ type: 'phone', number: to.number.replace(/^\+/, '') }] }];
    case 'sip':
      return [{ action: 'connect', endpoint: [{ type: 'sip', uri: to.uri, headers: sipContext(context) }] }];
    default:
      return undefined;
  }
}
