import type { Emulator } from './server.js';
import { DEMO_KEY } from './sigv4.js';

/**
 * The emulator as the Lex back-end of a connector in the same process: the key pair it
 * accepts and the one control the connector may use, scripting a session's next transcripts
 * (the connector's `EmbeddedEmulator`, docs/browser.md). Nothing else of the control API is
 * reachable through the connector.
 */
export function embeddedBackEnd(emulator: Emulator): { demoKey: typeof DEMO_KEY; script(sessionId: string, transcripts: string[]): void } {
  return {
    demoKey: DEMO_KEY,
    script: (sessionId, transcripts) => void emulator.session(sessionId).script.push(...transcripts),
  };
}
