/** Twilio Media Streams wire messages (protocols.md §2). Pure: no I/O. */
import { ConnectorError } from '../../errors.js';

/** A Twilio message broke the protocol: PROTOCOL_VIOLATION (close 4007) naming the rule. */
export function protocolViolation(detail: string): ConnectorError {
  return new ConnectorError('PROTOCOL_VIOLATION', undefined, { detail });
}

/** What a Twilio text message means to the call. */
export type TwilioInbound =
  | { type: 'connected' }
  | { type: 'start'; streamSid: string; callSid?: string; accountSid?: string; customParameters: Record<string, unknown>; mediaFormat: unknown }
  | { type: 'media'; streamSid: string; payload: Buffer; track?: string }
  | { type: 'dtmf'; streamSid: string; digit: string }
  | { type: 'mark'; streamSid: string; name: string }
  | { type: 'stop'; streamSid: string }
  | { type: 'unknown'; event: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Parses an already JSON-decoded Twilio message. Throws PROTOCOL_VIOLATION. */
export function parseTwilioMessage(m: Record<string, unknown>): TwilioInbound {
  const event = str(m.event) ?? '';
  const streamSid = str(m.streamSid) ?? '';
  switch (event) {
    case 'connected':
      return { type: 'connected' };
    case 'start': {
      const start = (m.start ?? {}) as Record<string, unknown>;
      const sid = str(start.streamSid) ?? streamSid;
      if (!sid) throw protocolViolation('start without streamSid');
      const params = start.customParameters;
      return {
        type: 'start',
        streamSid: sid,
        callSid: str(start.callSid),
        accountSid: str(start.accountSid),
        customParameters: params && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : {},
        mediaFormat: start.mediaFormat,
      };
    }
    case 'media': {
      const media = (m.media ?? {}) as Record<string, unknown>;
      const payload = str(media.payload);
      if (payload === undefined || payload.length % 4 !== 0 || !BASE64.test(payload)) throw protocolViolation('invalid media payload');
      return { type: 'media', streamSid, payload: Buffer.from(payload, 'base64'), track: str(media.track) };
    }
    case 'dtmf': {
      const digit = (m.dtmf as Record<string, unknown> | undefined)?.digit;
      return typeof digit === 'string' || typeof digit === 'number' ? { type: 'dtmf', streamSid, digit: String(digit) } : { type: 'unknown', event };
    }
    case 'mark':
      return { type: 'mark', streamSid, name: str((m.mark as Record<string, unknown> | undefined)?.name) ?? '' };
    case 'stop':
      return { type: 'stop', streamSid };
    default:
      return { type: 'unknown', event };
  }
}

/**
 * True for the one media format a bidirectional Media Stream carries (protocols.md §2.2):
 * `{ encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }`, `channels` optional.
 */
export function isTwilioMulaw(mediaFormat: unknown): boolean {
  if (typeof mediaFormat !== 'object' || mediaFormat === null) return false;
  const f = mediaFormat as Record<string, unknown>;
  return f.encoding === 'audio/x-mulaw' && f.sampleRate === 8000 && (f.channels === undefined || f.channels === 1);
}

/** Outbound `media` with base64 µ-law for the current stream. */
export function twilioMedia(streamSid: string, ulaw: Uint8Array): string {
  return JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(ulaw.buffer, ulaw.byteOffset, ulaw.byteLength).toString('base64') } });
}

/** Outbound `mark`: Twilio echoes it when the audio before it has played (or at `clear`). */
export function twilioMark(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

/** Outbound `clear`: drop Twilio's buffered audio (barge-in); pending marks come back at once. */
export function twilioClear(streamSid: string): string {
  return JSON.stringify({ event: 'clear', streamSid });
}
