import type { HandoffContext, HandoffMethod } from './call-events.js';

/**
 * Where a hand-off sends the caller (`handoff_to` per call, `HANDOFF_TO` for the server):
 * a phone number, a SIP URI, or (Twilio) a queue or a TaskRouter workflow for Flex.
 */
export type HandoffDestination = { kind: 'phone'; number: string } | { kind: 'sip'; uri: string } | { kind: 'queue'; name: string } | { kind: 'workflow'; sid: string };

const PHONE_RE = /^\+?[1-9]\d{5,14}$/;
/** Printable ASCII but quotes and angle brackets (RFC 3261 escapes anything else as %XX). */
const SIP_RE = /^sips?:[!#-&(-;=?-~]{3,250}$/;
const QUEUE_RE = /^queue:([A-Za-z0-9 _.-]{1,64})$/;
const WORKFLOW_RE = /^workflow:(WW[0-9a-fA-F]{32})$/;

/**
 * Parses a destination: `+447700900001` (E.164, `+` optional), `sip:agent@pbx.example.com`,
 * `queue:support` or `workflow:WW…` (Twilio only). Undefined when it is none of them.
 */
export function parseDestination(raw: string): HandoffDestination | undefined {
  const s = raw.trim();
  if (PHONE_RE.test(s)) return { kind: 'phone', number: s };
  if (SIP_RE.test(s)) return { kind: 'sip', uri: s };
  const q = QUEUE_RE.exec(s);
  if (q) return { kind: 'queue', name: q[1] };
  const w = WORKFLOW_RE.exec(s);
  if (w) return { kind: 'workflow', sid: w[1] };
  return undefined;
}

/** A destination as written in config (`+4477…`, `sip:…`, `queue:…`, `workflow:…`), for events and logs. */
export function destinationText(d: HandoffDestination): string {
  switch (d.kind) {
    case 'phone':
      return d.number;
    case 'sip':
      return d.uri;
    case 'queue':
      return `queue:${d.name}`;
    case 'workflow':
      return `workflow:${d.sid}`;
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** One call's hand-off, as the session asks the platform for it. */
export interface HandoffRequest {
  /** `vonage` or `twilio` (`PlatformAdapter.name`). */
  platform: string;
  /** The platform's id of the call to move: Twilio CallSid, Vonage `call_uuid` (the caller's leg). */
  platformCallId?: string;
  /** Twilio: the account the call belongs to (`start.accountSid`). */
  accountSid?: string;
  destination?: HandoffDestination;
  context: HandoffContext;
}

/**
 * The platform side of a hand-off (`handoff/` implements it for Vonage and Twilio; app.ts wires
 * it into each call). A transfer is a side effect of the connection, never of a transport.
 */
export interface PlatformHandoff {
  /** What `transfer` would do for this call: a REST transfer when credentials, call id and destination fit the platform, else `close`. */
  methodFor(req: HandoffRequest): HandoffMethod;
  /** Moves the call (`methodFor` said a REST method); rejects with a `ConnectorError` HANDOFF_FAILED (detail: the status) after its retries. */
  transfer(req: HandoffRequest): Promise<void>;
}

/** No platform credentials: every hand-off closes the WebSocket (4010) and the NCCO / TwiML continues. */
export const CLOSE_ONLY: PlatformHandoff = {
  methodFor: () => 'close',
  transfer: () => Promise.resolve(),
};
