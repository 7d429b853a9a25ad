import { Counter, Gauge, Registry } from 'prom-client';

/** The cluster primary's own metrics, served with the workers' sum (docs/operations.md, "Workers or pods"). */
export class PrimaryMetrics {
  readonly registry = new Registry();
  readonly workers = new Gauge({ name: 'lexconn_workers', help: 'Cluster workers listening (WORKERS > 1 only)', registers: [this.registry] });
  readonly restarts = new Counter({
    name: 'lexconn_worker_restarts_total',
    help: 'Cluster workers that exited unexpectedly and were replaced (WORKERS > 1 only)',
    registers: [this.registry],
  });
  readonly callsLost = new Counter({
    name: 'lexconn_calls_lost_total',
    help: 'Calls in progress on a cluster worker when it died or was killed, as the worker last reported them (WORKERS > 1 only)',
    registers: [this.registry],
  });
}
