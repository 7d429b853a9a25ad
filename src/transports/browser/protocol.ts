/**
 * The browser client's wire messages (docs/browser.md): Vonage's WebSocket protocol
 * (protocols.md §1) plus live events and recognition scripts. Pure: no I/O.
 *
 * In: `websocket:connected` with `"events": true` first, then binary L16 frames and the Vonage
 * events (`websocket:dtmf`, `websocket:notify`, `websocket:cleared`), and
 * `{"event":"script","transcripts":[…]}`. Out: binary L16 frames, Vonage's `clear` and
 * `notify`, and live events (`{"type": …}`; `call/call-events.ts` and the script answers here).
 */
import { parseVonageMessage, type VonageInbound } from '../vonage/protocol.js';

/** Most transcripts one script message may queue. */
export const SCRIPT_MAX_TRANSCRIPTS = 10;
/** Longest transcript, in characters (Lex's own limit on text input). */
export const SCRIPT_MAX_CHARS = 1024;

/** What a browser text message means to the call. */
export type BrowserInbound = VonageInbound | { type: 'script'; transcripts: string[] } | { type: 'script-invalid'; reason: string };

/** True for a first message that opens a browser call: Vonage's `websocket:connected` asking for live events. */
export function isBrowserOpening(first: Record<string, unknown>): boolean {
  return first.event === 'websocket:connected' && first.events === true;
}

/** Validates a list of transcripts to script: the transcripts, or what is wrong with the list (a predicate, without its subject). */
export function readScript(value: unknown): { transcripts: string[] } | { reason: string } {
  if (!Array.isArray(value) || value.length === 0 || value.length > SCRIPT_MAX_TRANSCRIPTS) return { reason: `must be an array of 1 to ${SCRIPT_MAX_TRANSCRIPTS} strings` };
  for (const t of value) {
    if (typeof t !== 'string' || t.trim() === '' || [...t].length > SCRIPT_MAX_CHARS) return { reason: `must hold non-empty strings of at most ${SCRIPT_MAX_CHARS} characters` };
  }
  return { transcripts: value.map((t: string) => t.trim()) };
}

/** Reads one text message, already decoded from JSON. */
export function parseBrowserMessage(m: Record<string, unknown>): BrowserInbound {
  if (m.event !== 'script') return parseVonageMessage(m);
  const script = readScript(m.transcripts);
  return 'reason' in script ? { type: 'script-invalid', reason: `transcripts ${script.reason}` } : { type: 'script', transcripts: script.transcripts };
}

/** The answer to a script: queued for the next utterances, or refused and why. */
export type ScriptAnswer = { type: 'script.accepted'; transcripts: number } | { type: 'script.refused'; reason: string };

/** Why a script is refused when the Lex back-end cannot take one. */
export const SCRIPT_UNAVAILABLE = 'the Lex back-end is not the embedded emulator: recognition cannot be scripted';
