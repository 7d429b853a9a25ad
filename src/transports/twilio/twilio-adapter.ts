import { ConfigFieldError } from '../../call/call-config.js';
import type { Configured, PlatformAdapter, TransportOptions } from '../transport.js';
import { isTwilioMulaw, parseTwilioMessage, protocolViolation } from './protocol.js';
import { TwilioTransport } from './twilio-transport.js';
import type { WebSocket } from 'ws';

/** Twilio's inbound event names (protocols.md §2). */
const TWILIO_EVENTS = new Set(['connected', 'media', 'mark', 'dtmf', 'stop']);

/** Reads `start`: the stream's ids, its media format, and the `<Parameter>`s as per-call settings. */
function start(msg: Record<string, unknown>, socket: WebSocket, opts: TransportOptions): Configured {
  // The reason names the event only when it is one of Twilio's own: never the client's free text.
  if (msg.event !== 'start') throw protocolViolation(typeof msg.event === 'string' && TWILIO_EVENTS.has(msg.event) ? `${msg.event} before start` : 'expected start');
  const start = parseTwilioMessage(msg);
  if (start.type !== 'start') throw protocolViolation('expected start');
  if (!isTwilioMulaw(start.mediaFormat)) throw new ConfigFieldError('mediaFormat', 'must be audio/x-mulaw at 8000 Hz, one channel');
  return {
    transport: new TwilioTransport(socket, start.streamSid, opts.maxBufferedBytes, opts.onClose, opts.limits),
    fields: start.customParameters,
    ids: { streamSid: start.streamSid, callSid: start.callSid, accountSid: start.accountSid },
  };
}

/** Twilio Media Streams: `connected` (optional), then `start`, whose `customParameters` are the TwiML `<Parameter>`s. */
export const twilio: PlatformAdapter = {
  name: 'twilio',
  opening: 'a Twilio start',
  claims: (first) => first.event === 'connected' || first.event === 'start',
  configure(first, socket, opts) {
    if (first.event === 'connected') return { awaiting: (next) => start(next, socket, opts) };
    return start(first, socket, opts);
  },
};
