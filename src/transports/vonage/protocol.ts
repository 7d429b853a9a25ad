/** Vonage Voice WebSocket wire messages (protocols.md §1). Pure: no I/O. */

/** What a Vonage text message means to the call. */
export type VonageInbound =
  | { type: 'connected'; rateHz: number | undefined; contentType: string; fields: Record<string, unknown> }
  | { type: 'dtmf'; digit: string }
  | { type: 'notify'; name: string | undefined }
  | { type: 'cleared' }
  | { type: 'unknown'; event: string };

/** A text message that is not JSON or not an object. */
export class MalformedMessageError extends Error {
  constructor() {
    super('malformed message');
    this.name = 'MalformedMessageError';
  }
}

/** Parses one text message. Throws `MalformedMessageError` for non-JSON or non-object text. */
export function parseVonageText(text: string): VonageInbound {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new MalformedMessageError();
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new MalformedMessageError();
  const m = msg as Record<string, unknown>;
  const event = typeof m.event === 'string' ? m.event : '';
  switch (event) {
    case 'websocket:connected': {
      const contentType = typeof m['content-type'] === 'string' ? m['content-type'] : '';
      const rate = /rate=(\d+)/i.exec(contentType);
      return { type: 'connected', rateHz: rate ? Number(rate[1]) : undefined, contentType, fields: m };
    }
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
