/** Vonage Voice WebSocket wire messages (protocols.md §1). Pure: no I/O. */

/** What a Vonage text message means to the call. */
export type VonageInbound =
  | { type: 'connected'; rateHz: number | undefined; fields: Record<string, unknown> }
  | { type: 'dtmf'; digit: string }
  | { type: 'notify'; name: string | undefined }
  | { type: 'cleared' }
  | { type: 'unknown'; event: string };

/** The sample rate of a linear PCM `content-type` (`audio/l16;rate=16000`); undefined for any other media type. */
function rateOf(contentType: unknown): number | undefined {
  const rate = typeof contentType === 'string' ? /^\s*audio\/l16\s*;\s*rate=(\d{1,6})\s*$/i.exec(contentType) : null;
  return rate ? Number(rate[1]) : undefined;
}

/** Reads one text message, already decoded from JSON. */
export function parseVonageMessage(m: Record<string, unknown>): VonageInbound {
  const event = typeof m.event === 'string' ? m.event : '';
  switch (event) {
    case 'websocket:connected':
      return { type: 'connected', rateHz: rateOf(m['content-type']), fields: m };
    case 'websocket:dtmf': {
      const d = m.digit ?? (m.dtmf as { digit?: unknown } | undefined)?.digit;
      return typeof d === 'string' || typeof d === 'number' ? { type: 'dtmf', digit: String(d) } : { type: 'unknown', event };
    }
    case 'websocket:notify': {
      const name = (m.payload as { name?: unknown } | undefined)?.name;
      return { type: 'notify', name: typeof name === 'string' ? name : undefined };
    }
    case 'websocket:cleared':
      return { type: 'cleared' };
    default:
      return { type: 'unknown', event };
  }
}

/** `{"action":"clear"}`: stop playback and drop Vonage's buffer (barge-in). */
export const VONAGE_CLEAR = JSON.stringify({ action: 'clear' });

/** `{"action":"notify"}`: Vonage echoes `websocket:notify` when audio sent before it has played. */
export function vonageNotify(name: string): string {
  return JSON.stringify({ action: 'notify', payload: { name } });
}
