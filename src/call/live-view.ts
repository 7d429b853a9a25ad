import type { CallEventSinkFactory } from './call-events.js';

/**
 * The live view: every event of a call, whatever its type, sent as it happens to a far end
 * that takes live events (`CallEventSource.live`, the browser client), with the call's id and
 * a sequence number from 1. Telephony platforms have no live channel and get no sink.
 */
export const liveView: CallEventSinkFactory = (source) => {
  const live = source.live;
  if (!live) return undefined;
  let seq = 0;
  return { emit: (event) => live.sendEvent({ ...event, callId: source.callId, seq: ++seq }) };
};
