import type { Logger } from 'pino';

/** The AWS SDK's logger interface (`@smithy/types` `Logger`): any arguments, per level. */
export interface SdkLogger {
  trace(...content: unknown[]): void;
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/** One SDK log call as a pino line: its text as the message, objects under `sdk`, errors by name and message only. */
function write(log: Logger, level: 'trace' | 'debug', content: unknown[]): void {
  if (!log.isLevelEnabled(level)) return;
  const text = content.filter((c): c is string => typeof c === 'string').join(' ');
  const objects = content.filter((c) => typeof c === 'object' && c !== null).map((c) => (c instanceof Error ? { name: c.name, message: c.message } : c));
  log[level](objects.length > 0 ? { sdk: objects.length === 1 ? objects[0] : objects } : {}, text || 'aws sdk');
}

/**
 * The `logger` option of every AWS SDK client the connector makes, so the SDK's own lines are
 * pino JSON lines (child `{component: "aws-sdk"}`), never bare console output. Levels are one
 * step down: the SDK's per-request summaries (info, with request and response fields) at
 * trace; its warnings and errors at debug, because the connector reports each Lex failure
 * itself, once, as a `ConnectorError` (e.g. "An error was encountered in a non-retryable
 * streaming request." precedes every failed or cancelled RecognizeUtterance/PostContent).
 * Secrets are redacted by the root logger's paths like any other line.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const log = logger.child({ component: 'aws-sdk' });
  return {
    trace: (...c) => write(log, 'trace', c),
    debug: (...c) => write(log, 'trace', c),
    info: (...c) => write(log, 'trace', c),
    warn: (...c) => write(log, 'debug', c),
    error: (...c) => write(log, 'debug', c),
  };
}
