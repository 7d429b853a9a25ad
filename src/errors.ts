/** Stable error codes (docs/errors-and-close-codes.md). */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'LEX_THROTTLED'
  | 'LEX_UNAVAILABLE'
  | 'LEX_TIMEOUT'
  | 'LEX_ACCESS_DENIED'
  | 'LEX_NOT_FOUND'
  | 'LEX_BAD_REQUEST'
  | 'LEX_AUTH_FAILED'
  | 'LEX_CONFLICT'
  | 'LEX_STREAM_FAILED'
  | 'LEX_ABORTED'
  | 'INTERNAL';

/** The one error type of the connector: a stable code, whether a retry may help, and the cause. */
export class ConnectorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorError';
  }
}
