/**
 * Stable error codes of the chat channel (docs/errors-and-close-codes.md, "Chat").
 * HTTP answers of the generic chat API carry `{ "error": { "code", "message" } }`;
 * failures of the Twilio channel are logged with the code and counted in
 * `lexconn_errors_total{code}`.
 */
export type ChatErrorCode =
  // Generic chat API: refused input (4xx)
  | 'CHAT_BAD_JSON'
  | 'CHAT_UNSUPPORTED_MEDIA_TYPE'
  | 'CHAT_BODY_TOO_LARGE'
  | 'CHAT_TEXT_MISSING'
  | 'CHAT_TEXT_TOO_LONG'
  | 'CHAT_BAD_ID'
  | 'CHAT_BAD_ATTRIBUTES'
  | 'CHAT_BAD_CREDENTIALS'
  | 'CHAT_CREDENTIALS_MISSING'
  | 'CHAT_UNAUTHORIZED'
  | 'CHAT_FORBIDDEN'
  | 'CHAT_NOT_FOUND'
  | 'CHAT_METHOD_NOT_ALLOWED'
  // Both channels: capacity
  | 'CHAT_BUSY'
  | 'CHAT_DRAINING'
  // Twilio channel
  | 'CHAT_WEBHOOK_FORBIDDEN'
  | 'CHAT_WEBHOOK_INVALID'
  | 'CHAT_QUEUE_FULL'
  | 'CHAT_LEX_FAILED'
  | 'TWILIO_POST_FAILED'
  | 'TWILIO_CLOSE_FAILED'
  | 'TWILIO_HANDOFF_FAILED'
  | 'TWILIO_DETACH_FAILED'
  | 'CHAT_INTERNAL';

/** An error of the chat channel: a stable code, the HTTP status it is answered with, a fixed message. */
export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ChatError';
  }
}
