import { ConfigFieldError } from '../../call/call-config.js';
import type { Configured, PlatformAdapter, TransportOptions } from '../transport.js';
import { parseTwilioMessage, protocolViolation } from './protocol.js';
import { TwilioTransport } from './twilio-transport.js';
import type { WebSocket } from 'ws';

/** Reads `start`: the stream's ids, its media format, and the `<Parameter>`s as per-call settings. */
function start(msg: Record<string, unknown>, socket: WebSocket, opts: TransportOptions): Configured {
  if (msg.event !== 'start') throw protocolViolation(`${String(msg.event)} before start`);
  const start = parseTwilioMessage(msg);
  if (start.type !== 'start') throw protocolViolation('expected start');
  if ((start.encoding && start.encoding !== 'audio/x-mulaw') || (start.sampleRate && start.sampleRate !== 8000)) {
    throw new ConfigFieldError('mediaFormat', 'must be audio/x-mulaw at 8000 Hz');
  }
  return {
    transport: new TwilioTransport(socket, start.streamSid, opts.maxBufferedBytes, opts.onClose),
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
