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
  transcript?: string;
  intentName?: string;
  dialogState?: string;
  /** End of the caller's input to the first reply frame sent, ms; absent without caller input or reply audio. */
  latencyMs?: number;
  outcome: TurnOutcome;
  /** The end-call rule fired: the call ends once this reply has played. */
  endsCall: boolean;
}

/** An event about one call; `callId` and `seq` are added by the connection's sink. */
export type CallEvent =
  | { type: 'call.started'; platform: string; route: string; rateHz: number }
  | { type: 'turn'; turn: TurnRecord }
  | { type: 'dtmf'; digits: string }
  | { type: 'call.ended'; closeCode: number; reason: string; durationMs: number; turns: number };

/** The call an event sink is made for. */
export interface CallEventSource {
  callId: string;
  route: string;
  platform: string;
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

/** One sink feeding several; a sink that throws is skipped, never the call. */
export function fanOut(sinks: CallEventSink[]): CallEventSink {
  const live = sinks.filter((s) => s !== NO_EVENTS);
  if (live.length === 0) return NO_EVENTS;
  if (live.length === 1) return live[0];
  return {
    emit: (event) => {
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
