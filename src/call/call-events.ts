/**
 * The conversation events of a call, one vocabulary for every consumer: the events webhook
 * (`EVENTS_URL`), a browser client's live view (`transport.events`) and tests. Sessions and the
 * connection emit them through a `CallEventSink`; sinks decide where they go. Events never carry
 * credentials. Transcripts, slots and DTMF digits are personal data: sinks that log them log at
 * debug only.
 */

/** What ended the caller's side of a turn: speech, a DTMF entry, or nothing (the bot spoke first). */
export type TurnInput = 'speech' | 'dtmf' | 'none';

/** How a turn's reply ended: heard to the end, cut short (barge-in, a newer turn), or lost to an error. */
export type TurnOutcome = 'played' | 'interrupted' | 'failed';

/** One completed bot turn, as both sessions record it. */
export interface TurnRecord {
  input: TurnInput;
  /** What Lex heard (speech transcript, or the DTMF digits). */
  transcript?: string;
  /** What the bot said (Lex's message text), when Lex sends text with the audio. */
  botMessage?: string;
  intentName?: string;
  /** Lex V2 `intent.state` (V1: derived from its dialogState). */
  intentState?: string;
  dialogState?: string;
  /** The intent's slots: name -> interpreted value, null while unfilled. */
  slots?: Record<string, string | null>;
  /** The session attributes after the turn (the bot's and the call's own). */
  sessionAttributes?: Record<string, string>;
  /** NLU confidence of `intentName`, 0–1, when Lex gives one. */
  confidence?: number;
  /** Every interpretation Lex returned, best first, with its confidence when Lex gives one. */
  interpretations?: { intentName: string; confidence?: number }[];
  /** End of the caller's input to the first reply frame sent, ms; absent without caller input or reply audio. */
  latencyMs?: number;
  outcome: TurnOutcome;
  /** The caller interrupted this reply (speech or a key while it played). */
  bargeIn: boolean;
  /** The end-call rule fired: the call ends once this reply has played. */
  endsCall: boolean;
  /** A hand-off rule fired: the caller goes to a human once this reply has played. */
  handoff: boolean;
}

/** One line of the conversation as the agent sees it. */
export interface TranscriptLine {
  from: 'caller' | 'bot';
  text: string;
}

/** What the agent gets with a hand-off: what the bot learned. Personal data: never logged above debug. */
export interface HandoffContext {
  /** The rule that fired: `handoff-intent:<intent>`, `handoff-attribute:<name>` or `no-input`. */
  reason: string;
  /** The intent Lex understood last. */
  intentName?: string;
  /** Every slot value the caller gave in the call (the last intent's own, null while unfilled, over earlier ones). */
  slots?: Record<string, string | null>;
  sessionAttributes?: Record<string, string>;
  /** The conversation so far, oldest first (at most the last 50 lines). */
  transcript: TranscriptLine[];
  /** The caller's number (`caller_id`), when the call gave one. */
  callerId?: string;
  /** The platform's id of the call (Twilio CallSid, Vonage `call_uuid`), when known. */
  platformCallId?: string;
}

/**
 * How a hand-off reaches the platform: `close` (the WebSocket closes with 4010 and the NCCO /
 * TwiML continues), `vonage-transfer` (Voice API `PUT /v1/calls/{uuid}` with an NCCO),
 * `twilio-update` (Calls API with new TwiML).
 */
export type HandoffMethod = 'close' | 'vonage-transfer' | 'twilio-update';

/** What a re-prompt or its end did after the caller said nothing for `no_input_ms`. */
export type NoInputAction = 'reprompt' | 'handoff' | 'hangup';

/** An event about one call; `callId` and `seq` are added by the connection's sink. */
export type CallEvent =
  | { type: 'call.started'; platform: string; route: string; rateHz: number }
  | { type: 'turn'; turn: TurnRecord }
  | { type: 'dtmf'; digits: string }
  | { type: 'no_input'; attempt: number; action: NoInputAction }
  | { type: 'handoff'; method: HandoffMethod; destination?: string; context: HandoffContext }
  | { type: 'handoff.failed'; method: HandoffMethod; code: string; status?: number; fallback: 'close' }
  | { type: 'call.ended'; closeCode: number; reason: string; durationMs: number; turns: number; handedOff: boolean };

/** The call an event sink is made for. */
export interface CallEventSource {
  callId: string;
  route: string;
  platform: string;
  /** The call's own events webhook (`events_url`), already checked against `EVENTS_URL_ALLOWLIST`. */
  eventsUrl?: string;
  /** The far end's live-event channel, when it has one (a browser client). */
  live?: { sendEvent(event: { type: string } & Record<string, unknown>): void };
}

/** Makes the sink of one call (the events webhook, a live view); undefined when it has nothing to do for this call. */
export type CallEventSinkFactory = (source: CallEventSource) => CallEventSink | undefined;

/** Where a call's events go. `emit` must never throw and never block: sinks queue or drop. */
export interface CallEventSink {
  emit(event: CallEvent): void;
}

/** A sink that drops everything (no consumer configured). */
export const NO_EVENTS: CallEventSink = { emit: () => undefined };

/**
 * The sink of one call: feeds every consumer, each protected (a sink that throws is skipped,
 * never the call), and ends with `call.ended`: nothing a call does after it (a platform
 * hand-off that settles after the caller hung up) reaches a consumer.
 */
export function fanOut(sinks: CallEventSink[]): CallEventSink {
  const live = sinks.filter((s) => s !== NO_EVENTS);
  if (live.length === 0) return NO_EVENTS;
  let ended = false;
  return {
    emit: (event) => {
      if (ended) return;
      ended = event.type === 'call.ended';
      for (const s of live) {
        try {
          s.emit(event);
        } catch {
          // a sink's own failure is its own: counted and logged by the sink, never the call's
        }
      }
    },
  };
}
