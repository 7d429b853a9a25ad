import { ConfigFieldError } from '../../call/call-config.js';
import type { PlatformAdapter } from '../transport.js';
import { parseVonageMessage } from '../vonage/protocol.js';
import { BrowserTransport } from './browser-transport.js';
import { isBrowserOpening, readScript } from './protocol.js';

/** Call rates a browser client may choose (`audio/l16;rate=…`): the page offers 16 and 8 kHz. */
const RATES = [8000, 16000, 24000];

/**
 * The browser client (`/phone`, docs/browser.md): Vonage's `websocket:connected` with
 * `"events": true`; its other fields are the per-call settings, as a Vonage NCCO's headers
 * are. An optional `script` field queues transcripts for the embedded emulator once the call
 * has started (a call refused for its settings scripts nothing).
 */
export const browser: PlatformAdapter = {
  name: 'browser',
  // Named as Vonage's, so the 4000 reason lists each opening message once.
  opening: 'websocket:connected',
  claims: isBrowserOpening,
  configure(first, socket, opts) {
    const msg = parseVonageMessage(first);
    if (msg.type !== 'connected' || msg.rateHz === undefined || !RATES.includes(msg.rateHz)) {
      throw new ConfigFieldError('content-type', `must be audio/l16;rate= ${RATES.slice(0, -1).join(', ')} or ${RATES.at(-1)}`);
    }
    let script: string[] | undefined;
    if (first.script !== undefined) {
      const read = readScript(first.script);
      if ('reason' in read) throw new ConfigFieldError('script', read.reason);
      script = read.transcripts;
    }
    return { transport: new BrowserTransport(socket, msg.rateHz, opts.maxBufferedBytes, opts.scriptRecognition, opts.onClose, script, opts.limits), fields: msg.fields };
  },
};
