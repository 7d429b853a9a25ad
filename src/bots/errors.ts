import { ConnectorError, type ErrorCode } from '../errors.js';

const BY_NAME: Record<string, [ErrorCode, boolean]> = {
  ThrottlingException: ['LEX_THROTTLED', true],
  LimitExceededException: ['LEX_THROTTLED', true],
  InternalServerException: ['LEX_UNAVAILABLE', true],
  InternalFailureException: ['LEX_UNAVAILABLE', true],
  BadGatewayException: ['LEX_UNAVAILABLE', true],
  ServiceUnavailableException: ['LEX_UNAVAILABLE', true],
  DependencyFailedException: ['LEX_UNAVAILABLE', true],
  LoopDetectedException: ['LEX_UNAVAILABLE', false],
  TimeoutError: ['LEX_TIMEOUT', true],
  RequestTimeout: ['LEX_TIMEOUT', true],
  RequestTimeoutException: ['LEX_TIMEOUT', true],
  AbortError: ['LEX_ABORTED', false],
  AccessDeniedException: ['LEX_ACCESS_DENIED', false],
  NotFoundException: ['LEX_NOT_FOUND', false],
  ResourceNotFoundException: ['LEX_NOT_FOUND', false],
  InvalidSignatureException: ['LEX_AUTH_FAILED', false],
  UnrecognizedClientException: ['LEX_AUTH_FAILED', false],
  IncompleteSignatureException: ['LEX_AUTH_FAILED', false],
  MissingAuthenticationTokenException: ['LEX_AUTH_FAILED', false],
  ExpiredTokenException: ['LEX_AUTH_FAILED', false],
  ConflictException: ['LEX_CONFLICT', true],
  BadRequestException: ['LEX_BAD_REQUEST', false],
  ValidationException: ['LEX_BAD_REQUEST', false],
  UnsupportedMediaTypeException: ['LEX_BAD_REQUEST', false],
  NotAcceptableException: ['LEX_BAD_REQUEST', false],
};

/**
 * Maps any error from the AWS SDK (or the network under it) to a `ConnectorError`.
 * Messages are the table's fixed strings (`ERRORS`): SDK messages are never copied into logs or close reasons.
 */
export function fromLexError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const name = e?.name ?? '';
  let mapped = BY_NAME[name];
  if (!mapped) {
    const status = e?.$metadata?.httpStatusCode;
    if (status === 429) mapped = ['LEX_THROTTLED', true];
    else if (status !== undefined && status >= 500) mapped = ['LEX_UNAVAILABLE', true];
    else if (status === 403) mapped = ['LEX_ACCESS_DENIED', false];
    else mapped = ['LEX_UNAVAILABLE', true]; // resets, refused connections, HTTP/2 stream errors
  }
  return new ConnectorError(mapped[0], undefined, { retryable: mapped[1], cause: { name, code: e?.code, status: e?.$metadata?.httpStatusCode } });
}

/** Lex's reply audio with a failure while it streams mapped by `fromLexError`, like a failed request. */
export async function* lexAudio(audio: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* audio;
  } catch (err) {
    throw fromLexError(err);
  }
}
