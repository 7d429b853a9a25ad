import pino, { type Logger, type DestinationStream } from 'pino';

/**
 * Paths redacted from every log line: AWS secrets, session tokens, auth headers,
 * wherever they sit in a logged object (docs/operations.md).
 */
export const REDACT_PATHS = [
  'aws_secret',
  'aws_session_token',
  'awsSecret',
  'awsSessionToken',
  '*.awsSecret',
  '*.awsSessionToken',
  'token',
  'authorization',
  '*.aws_secret',
  '*.aws_session_token',
  '*.secretAccessKey',
  '*.sessionToken',
  '*.token',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers["x-amz-security-token"]',
  '*.headers["x-twilio-signature"]',
  'credentials',
  '*.credentials',
];

/** The root logger: JSON lines, secrets redacted. */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
