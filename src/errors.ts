import { CloseCodes, type CloseSpec } from './call/close-codes.js';

/** What an error code means wherever it is raised. */
interface ErrorSpec {
  /** Fixed message: values and SDK messages never go here (they go in fields or `cause`). */
  message: string;
  /** Whether trying again may help (an instance may say otherwise: `ConnectorError.retryable`). */
  retryable: boolean;
  /** The call's credentials or bot address are wrong: logged once per call, and fatal to a `/conversation` stream. */
  permanent?: boolean;
  /** The close a call ends with when this is raised during it. */
  close?: CloseSpec;
  /** The HTTP status a request or WebSocket upgrade is refused with. */
  status?: number;
}

/**
 * Every error code of the connector, one line each: the one table that maps codes to close
 * codes and HTTP statuses. docs/errors-and-close-codes.md lists the same table, and
 * test/unit/errors.test.ts checks the two agree.
 */
export const ERRORS = {
  CONFIG_INVALID: { message: 'invalid configuration', retryable: false },
  ROUTE_NOT_FOUND: { message: 'not found', retryable: false, status: 404 },
  METHOD_NOT_ALLOWED: { message: 'method not allowed', retryable: false, status: 405 },
  BODY_INVALID: { message: 'bad request', retryable: false, status: 400 },
  UNAUTHORIZED: { message: 'unauthorized', retryable: false, close: CloseCodes.UNAUTHORIZED, status: 401 },
  SIGNATURE_INVALID: { message: 'invalid X-Twilio-Signature', retryable: false, status: 403 },
  OVERLOADED: { message: 'too many calls in progress', retryable: true, status: 503 },
  PENDING_FULL: { message: 'too many connections waiting to authenticate', retryable: true, status: 503 },
  SIGNATURE_REPLAYED: { message: 'X-Twilio-Signature already in use', retryable: false, status: 403 },
  CAPACITY: { message: 'server at capacity', retryable: true, close: CloseCodes.CAPACITY },
  RATE_LIMITED: { message: 'rate limit exceeded', retryable: false, close: CloseCodes.RATE_LIMITED },
  DRAINING: { message: 'server is draining', retryable: true, status: 503 },
  MESSAGE_MALFORMED: { message: 'malformed message', retryable: false, close: CloseCodes.BAD_MESSAGE },
  AUDIO_BEFORE_CONFIG: { message: 'audio before configuration', retryable: false, close: CloseCodes.AUDIO_BEFORE_CONFIG },
  CALL_CONFIG_INVALID: { message: 'invalid call configuration', retryable: false, close: CloseCodes.INVALID_CONFIG },
  PROTOCOL_VIOLATION: { message: 'platform protocol violated', retryable: false, close: CloseCodes.PROTOCOL_ERROR },
  LEX_THROTTLED: { message: 'Lex throttled the request', retryable: true },
  LEX_UNAVAILABLE: { message: 'Lex is unavailable', retryable: true },
  LEX_TIMEOUT: { message: 'Lex did not answer in time', retryable: true },
  LEX_CONFLICT: { message: 'Lex session busy with another request', retryable: true },
  LEX_ACCESS_DENIED: { message: 'Lex denied access: check the IAM policy of the call credentials', retryable: false, permanent: true },
  LEX_NOT_FOUND: { message: 'Lex bot, alias or locale not found', retryable: false, permanent: true },
  LEX_AUTH_FAILED: { message: 'Lex rejected the call credentials', retryable: false, permanent: true },
  LEX_BAD_REQUEST: { message: 'Lex rejected the request', retryable: false, permanent: true },
  LEX_ABORTED: { message: 'Lex request cancelled', retryable: false },
  LEX_STREAM_FAILED: { message: 'Lex conversation stream failed', retryable: false, close: CloseCodes.LEX_STREAM_FAILED },
  HANDOFF_FAILED: { message: 'hand-off request to the platform failed', retryable: true },
  EVENTS_DELIVERY_FAILED: { message: 'conversation event not delivered', retryable: true },
  INTERNAL: { message: 'internal error', retryable: false, close: CloseCodes.INTERNAL, status: 500 },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code (docs/errors-and-close-codes.md). */
export type ErrorCode = keyof typeof ERRORS;

/** The one error type of the connector: a stable code from `ERRORS`, whether a retry may help, and the cause. */
export class ConnectorError extends Error {
  readonly retryable: boolean;
  /** What the caller may be told after the close reason (a field name, a protocol rule): never a value or a secret. */
  readonly detail?: string;

  /** `message` defaults to the code's fixed message. */
  constructor(
    readonly code: ErrorCode,
    message: string = ERRORS[code].message,
    options: { cause?: unknown; detail?: string; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.detail = options.detail;
    this.retryable = options.retryable ?? ERRORS[code].retryable;
  }

  /** The close this error ends a call with (1011 for codes that have none). */
  get close(): CloseSpec {
    const spec: ErrorSpec = ERRORS[this.code];
    return spec.close ?? CloseCodes.INTERNAL;
  }

  /** The HTTP status this error refuses a request with (500 for codes that have none). */
  get status(): number {
    const spec: ErrorSpec = ERRORS[this.code];
    return spec.status ?? 500;
  }
}

/** `err` itself when it is a `ConnectorError`, else an INTERNAL error caused by it (a bug). */
export function asConnectorError(err: unknown): ConnectorError {
  return err instanceof ConnectorError ? err : new ConnectorError('INTERNAL', undefined, { cause: err });
}

/** True for errors that mean the call's credentials or bot address are wrong (log once per call). */
export function isPermanent(err: ConnectorError): boolean {
  const spec: ErrorSpec = ERRORS[err.code];
  return spec.permanent === true;
}
