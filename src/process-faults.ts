import type { Logger } from 'pino';
import { asConnectorError } from './errors.js';
import type { Metrics } from './metrics.js';

/** The part of `process` the policy listens on. */
interface FaultSource {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (err: unknown) => void): unknown;
}

/**
 * The process-level fault policy (docs/operations.md, "Faults"): an error that escapes every
 * call's own handling (a rejected promise nobody awaited, an exception thrown from a timer or a
 * stream event) is logged at `error` with its code (`INTERNAL` unless it is a `ConnectorError`),
 * counted in `lexconn_errors_total{code}`, and the process keeps serving: such faults come from
 * one call's code, and ending the process would drop every other call on it.
 */
export function handleProcessFaults(proc: FaultSource, log: Logger, metrics: Metrics): void {
  const report = (fault: 'unhandledRejection' | 'uncaughtException') => (err: unknown) => {
    const e = asConnectorError(err);
    metrics.errors.inc({ code: e.code });
    // A ConnectorError's message is fixed and its cause may hold SDK details: log the code only.
    log.error({ fault, code: e.code, err: e.code === 'INTERNAL' ? err : undefined }, 'process fault');
  };
  proc.on('unhandledRejection', report('unhandledRejection'));
  proc.on('uncaughtException', report('uncaughtException'));
}
