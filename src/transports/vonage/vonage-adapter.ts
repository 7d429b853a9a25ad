import { ConfigFieldError } from '../../call/call-config.js';
import type { PlatformAdapter } from '../transport.js';
import { parseVonageMessage } from './protocol.js';
import { VonageTransport } from './vonage-transport.js';

/** Call rates Vonage offers (`audio/l16;rate=…`). */
const RATES = [8000, 16000, 24000];

/** Vonage Voice API: the call opens with `websocket:connected`, whose fields are the NCCO `headers`. */
export const vonage: PlatformAdapter = {
  name: 'vonage',
  opening: 'websocket:connected',
  claims: (first) => first.event === 'websocket:connected',
  configure(first, socket, opts) {
    const msg = parseVonageMessage(first);
    if (msg.type !== 'connected' || msg.rateHz === undefined || !RATES.includes(msg.rateHz)) {
      throw new ConfigFieldError('content-type', `must be audio/l16;rate= ${RATES.slice(0, -1).join(', ')} or ${RATES.at(-1)}`);
    }
    return { transport: new VonageTransport(socket, msg.rateHz, opts.maxBufferedBytes, opts.onClose, opts.limits), fields: msg.fields };
  },
};
