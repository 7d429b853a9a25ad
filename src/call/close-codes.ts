/**
 * Every WebSocket close the connector makes, with its code and a fixed reason
 * (docs/errors-and-close-codes.md). Reasons that name a field append it after ": ".
 */
export const CloseCodes = {
  /** The dialog ended (Lex Close / `nexmo-close`) after the last prompt played, or the platform stopped the stream. */
  NORMAL: { code: 1000, reason: 'dialog ended' },
  /** The platform stopped the stream (Twilio `stop`). */
  STREAM_STOPPED: { code: 1000, reason: 'stream stopped' },
  /** The server is shutting down and the drain deadline passed. */
  GOING_AWAY: { code: 1001, reason: 'server shutting down' },
  /** A frame broke the WebSocket protocol (sent by the ws library). */
  WS_PROTOCOL: { code: 1002, reason: 'websocket protocol error' },
  /** A text message was not valid UTF-8 (sent by the ws library). */
  INVALID_UTF8: { code: 1007, reason: 'invalid UTF-8' },
  /** A message exceeded MAX_MESSAGE_BYTES (sent by the ws library). */
  TOO_BIG: { code: 1009, reason: 'message too big' },
  /** An unexpected internal error. */
  INTERNAL: { code: 1011, reason: 'internal error' },
  /** The call authenticated with its first message while MAX_CALLS calls were in progress: try again later. */
  CAPACITY: { code: 1013, reason: 'server at capacity' },
  /** A text message was not valid JSON, or not a JSON object, or the first message was not the platform's start message. */
  BAD_MESSAGE: { code: 4000, reason: 'malformed message' },
  /** Binary audio arrived before the configuration message. */
  AUDIO_BEFORE_CONFIG: { code: 4001, reason: 'audio before configuration' },
  /** A configuration value is missing or invalid; the reason names the field. */
  INVALID_CONFIG: { code: 4002, reason: 'invalid configuration' },
  /** CONNECTOR_AUTH_TOKEN is set and the first message's `token` is missing or wrong. */
  UNAUTHORIZED: { code: 4003, reason: 'unauthorized' },
  /** No configuration message within FIRST_MESSAGE_TIMEOUT_MS. */
  CONFIG_TIMEOUT: { code: 4004, reason: 'no configuration message in time' },
  /** The call reached MAX_CALL_MS. */
  MAX_DURATION: { code: 4005, reason: 'maximum call duration reached' },
  /** The platform did not read our audio fast enough (MAX_BUFFERED_BYTES). */
  SLOW_CONSUMER: { code: 4006, reason: 'slow consumer' },
  /** A Twilio message broke the protocol (media before start, wrong streamSid, invalid base64). */
  PROTOCOL_ERROR: { code: 4007, reason: 'protocol error' },
  /** The Lex conversation stream failed, or stayed silent, and could not be reopened. */
  LEX_STREAM_FAILED: { code: 4008, reason: 'lex stream failed' },
  /** The call went past a per-call bound (control messages, audio, Lex requests, events queued to Lex); the reason names it. */
  RATE_LIMITED: { code: 4009, reason: 'rate limit exceeded' },
  /**
   * The caller was handed to a human (docs/handoff.md) after the bot's last prompt played: the
   * NCCO / TwiML after the bot runs next, or the platform already moved the call (transfer,
   * call update). The reason names the rule that fired.
   */
  HANDOFF: { code: 4010, reason: 'handed off' },
  /** The caller said nothing through `no_input_retries` re-prompts and `no_input_action` is `hangup`. */
  NO_INPUT: { code: 4011, reason: 'no input' },
} as const;

/** A named close (code + reason). */
export type CloseSpec = (typeof CloseCodes)[keyof typeof CloseCodes];

/** WebSocket close reasons are limited to 123 bytes. */
export function closeReason(spec: CloseSpec, detail?: string): string {
  const r = detail ? `${spec.reason}: ${detail}` : spec.reason;
  return Buffer.byteLength(r) <= 123
    ? r
    : Buffer.from(r)
        .subarray(0, 123)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
}

/** The documented reason of a close code (the first spec with that code), for summaries and events; `other` for a code not in the table. */
export function reasonOfCode(code: number): string {
  for (const spec of Object.values(CloseCodes)) if (spec.code === code) return spec.reason;
  if (code === 1005) return 'no status';
  if (code === 1006) return 'connection lost';
  return 'other';
}

const KNOWN_CODES = new Set<number>([...Object.values(CloseCodes).map((s) => s.code), 1005, 1006]);

/** The `code` label of `lexconn_call_closes_total`: a documented code, or `other` (labels never come from a client). */
export function closeCodeLabel(code: number): string {
  return KNOWN_CODES.has(code) ? String(code) : 'other';
}
