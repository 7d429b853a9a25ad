import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config.js';
import { embeddedBackEnd } from '../emulator/embedded.js';
import type { Emulator } from '../emulator/server.js';
import type { MetricsSource } from '../metrics.js';
import { createMetricsHandler } from '../server/http-routes.js';
import { createHttpServer } from '../server/http-server.js';
import { listen } from '../server/listen.js';
import { listeningFields, startEmbeddedEmulator, wantsEmbeddedEmulator } from '../serve.js';
import { asWorkerMessage, type PrimaryMessage } from './messages.js';
import { PrimaryMetrics } from './primary-metrics.js';
import { nextCrashCount, restartDelayMs } from './restart-policy.js';
import { EMULATOR_URL_ENV } from './worker-link.js';

/** Set in every worker's environment: the process is a worker of this primary (not of pm2 or another cluster manager). */
export const WORKER_ENV = 'LEXCONN_CLUSTER_WORKER';
/** How long a worker has to send its metrics for a scrape (prom-client's `clusterMetrics` bound). */
const COLLECT_TIMEOUT_MS = 5000;
/** Added to DRAIN_TIMEOUT_MS + CLOSE_TIMEOUT_MS (a worker's longest drain) before a worker still running is killed. */
export const KILL_MARGIN_MS = 5000;

/**
 * Metrics the sum would misstate, and how they combine instead; prom-client's own choices stand
 * for the rest (sum, but the event-loop lag gauges' average/min/max, `nodejs_version_info`'s first
 * and no `process_start_time_seconds`).
 */
const AGGREGATORS: Record<string, string> = { process_max_fds: 'max' };

/** One of the WORKERS places: the worker in it now, and what the primary knows of it. */
interface Slot {
  worker?: Worker;
  listening: boolean;
  /** Calls in progress, as the worker last reported them. */
  active: number;
  startedAt: number;
  /** Unexpected exits in a row (restart-policy.ts). */
  crashes: number;
  restart?: NodeJS.Timeout;
  /** Sent SIGTERM by a stop before it listened: it had no call, so that signal ending it is a clean stop. */
  stoppedStarting?: boolean;
}

interface PrimaryDeps {
  config: Config;
  logger: Logger;
  metrics: PrimaryMetrics;
  emulator?: Emulator;
  /** Added to each worker's environment. */
  env: Record<string, string>;
  /** Runs once, when every worker has exited after a stop; `failed` when one did not drain cleanly. */
  onStopped(failed: boolean): void;
}

/** What a worker's exit is logged with. */
type ExitInfo = { worker: number; pid: number | undefined; code: number | null; signal: string | null };

/**
 * The cluster primary: forks WORKERS workers that share the listening port (node:cluster), replaces
 * one that dies (with a back-off, counting its calls as lost), sums their metrics for every scrape,
 * and on stop drains them all. It serves no call itself.
 */
export class ClusterPrimary implements MetricsSource {
  private readonly slots: Slot[];
  private readonly collects = new Map<number, { worker: number; resolve(metrics: unknown[]): void; reject(err: Error): void; timer: NodeJS.Timeout }>();
  private nextId = 0;
  /** Set until every worker listens for the first time. */
  private starting: ((port: number) => void) | undefined;
  private stopping = false;
  private failed = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PrimaryDeps) {
    this.slots = Array.from({ length: deps.config.workers }, () => ({ listening: false, active: 0, startedAt: 0, crashes: 0 }));
  }

  get contentType(): string {
    return this.deps.metrics.registry.contentType;
  }

  /** Forks every worker; resolves with the shared port once all of them listen. */
  start(): Promise<number> {
    return new Promise((resolve) => {
      this.starting = resolve;
      for (const slot of this.slots) this.fork(slot);
    });
  }

  /**
   * Every listening worker's metrics, summed by prom-client's `AggregatorRegistry.aggregate` (each
   * metric's `aggregator`: sum unless it says otherwise), with the primary's own. Fails when a worker
   * does not answer within 5 s; a worker that exits meanwhile is left out (its counts are gone).
   */
  async scrape(): Promise<string> {
    const live = this.slots.filter((s) => s.listening && s.worker).map((s) => s.worker as Worker);
    const parts = await Promise.all(live.map((w) => this.collect(w)));
    for (const metric of parts.flat() as { name?: string; aggregator?: string }[]) {
      const aggregator = metric.name && AGGREGATORS[metric.name];
      if (aggregator) metric.aggregator = aggregator;
    }
    parts.push(await this.deps.metrics.registry.getMetricsAsJSON());
    return AggregatorRegistry.aggregate(parts).metrics();
  }

  /** Asks every worker to drain (or stops one still starting); kills those still running after the drain limit. */
  stop(reason: string): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const s of this.slots) clearTimeout(s.restart);
    const live = this.slots.filter((s) => s.worker);
    this.deps.logger.info({ signal: reason, workers: live.length }, 'shutting down');
    if (live.length === 0) return this.deps.onStopped(this.failed);
    for (const s of live) {
      if (s.listening) this.send(s.worker as Worker, { type: 'lexconn:drain' });
      else {
        s.stoppedStarting = true;
        s.worker?.process.kill('SIGTERM');
      }
    }
    const { drainTimeoutMs, limits } = this.deps.config;
    this.killTimer = setTimeout(() => this.killStragglers(), drainTimeoutMs + limits.closeTimeoutMs + KILL_MARGIN_MS);
  }

  private fork(slot: Slot): void {
    const worker = cluster.fork(this.deps.env);
    Object.assign(slot, { worker, listening: false, active: 0, startedAt: Date.now(), restart: undefined, stoppedStarting: false });
    worker.on('message', (m: unknown) => this.onMessage(slot, worker, m));
    worker.on('exit', (code: number | null, signal: string | null) => this.onExit(slot, worker, code, signal));
    worker.on('error', (err: Error) => this.deps.logger.warn({ err, worker: worker.id }, 'worker channel error'));
  }

  private send(worker: Worker, m: PrimaryMessage): void {
    if (worker.isConnected()) worker.send(m, undefined, {}, () => undefined);
  }

  private collect(worker: Worker): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.collects.delete(id);
        reject(new Error(`worker ${worker.id} did not send its metrics`));
      }, COLLECT_TIMEOUT_MS);
      this.collects.set(id, { worker: worker.id, resolve, reject, timer });
      this.send(worker, { type: 'lexconn:collect', id });
    });
  }

  private settleCollect(id: number, metrics: unknown[] | undefined, error?: string): void {
    const c = this.collects.get(id);
    if (!c) return;
    this.collects.delete(id);
    clearTimeout(c.timer);
    if (metrics) c.resolve(metrics);
    else c.reject(new Error(`worker ${c.worker} metrics: ${error ?? 'none'}`));
  }

  private onMessage(slot: Slot, worker: Worker, raw: unknown): void {
    const m = asWorkerMessage(raw);
    if (!m || slot.worker !== worker) return;
    switch (m.type) {
      case 'lexconn:listening':
        return this.onListening(slot, worker, m.port);
      case 'lexconn:active-calls':
        slot.active = m.active;
        return;
      case 'lexconn:scrape':
        this.scrape().then(
          (text) => this.send(worker, { type: 'lexconn:scrape-result', id: m.id, text }),
          (err: unknown) => this.send(worker, { type: 'lexconn:scrape-result', id: m.id, error: (err as Error).message }),
        );
        return;
      case 'lexconn:metrics':
        return this.settleCollect(m.id, m.metrics, m.error);
      case 'lexconn:script':
        if (this.deps.emulator) embeddedBackEnd(this.deps.emulator).script(m.sessionId, m.transcripts);
        return;
      default: {
        const unknown: never = m;
        return unknown;
      }
    }
  }

  private onListening(slot: Slot, worker: Worker, port: number): void {
    slot.listening = true;
    this.updateGauge();
    if (this.stopping) return this.send(worker, { type: 'lexconn:drain' });
    if (!this.starting) return void this.deps.logger.info({ worker: worker.id, pid: worker.process.pid, port }, 'worker replaced');
    if (this.slots.every((s) => s.listening)) {
      const ready = this.starting;
      this.starting = undefined;
      ready(port);
    }
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    const lost = slot.active;
    Object.assign(slot, { worker: undefined, listening: false, active: 0 });
    this.updateGauge();
    // Its pending scrapes go on without it: what it counted left with it.
    for (const [id, c] of this.collects) if (c.worker === worker.id) this.settleCollect(id, []);
    const info: ExitInfo = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (this.stopping) return this.onStopExit(info, lost, slot.stoppedStarting === true);
    if (this.starting) {
      this.deps.logger.error(info, 'worker exited before listening: stopping');
      this.failed = true;
      return this.stop('worker start failed');
    }
    slot.crashes = nextCrashCount(slot.crashes, Date.now() - slot.startedAt);
    const restartInMs = restartDelayMs(slot.crashes);
    this.deps.metrics.restarts.inc();
    this.deps.metrics.callsLost.inc(lost);
    this.deps.logger.error({ ...info, lostCalls: lost, restartInMs }, 'worker died: replacing it');
    slot.restart = setTimeout(() => this.fork(slot), restartInMs);
  }

  /** A worker gone during a stop: clean when it drained and exited 0, or was still starting and ended by the stop's SIGTERM. */
  private onStopExit(info: ExitInfo, lost: number, stoppedStarting: boolean): void {
    if (info.code === 0 || (stoppedStarting && info.signal === 'SIGTERM' && lost === 0)) this.deps.logger.info(info, 'worker stopped');
    else {
      this.failed = true;
      this.deps.metrics.callsLost.inc(lost);
      this.deps.logger.error({ ...info, lostCalls: lost }, 'worker did not drain cleanly');
    }
    if (this.slots.some((s) => s.worker)) return;
    clearTimeout(this.killTimer);
    this.deps.onStopped(this.failed);
  }

  private killStragglers(): void {
    for (const s of this.slots) {
      if (!s.worker) continue;
      this.deps.logger.error({ worker: s.worker.id, pid: s.worker.process.pid, activeCalls: s.active }, 'worker did not drain in time: killing it');
      s.worker.process.kill('SIGKILL');
    }
  }

  private updateGauge(): void {
    this.deps.metrics.workers.set(this.slots.filter((s) => s.listening).length);
  }
}

/**
 * Runs the cluster primary (WORKERS > 1): the embedded emulator once (its URL goes to every
 * worker), the METRICS_PORT listener when set, the workers; "lex connector listening" once every
 * worker listens. SIGTERM/SIGINT drain every worker; exit 0 only when all of them drained.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const emulator = wantsEmbeddedEmulator(config) ? await startEmbeddedEmulator(config, logger) : undefined;
  let metricsServer: Server | undefined;
  const primary = new ClusterPrimary({
    config,
    logger,
    metrics: new PrimaryMetrics(),
    emulator,
    env: { [WORKER_ENV]: '1', ...(emulator ? { [EMULATOR_URL_ENV]: emulator.url } : {}) },
    onStopped: (failed) => {
      const exitCode = failed ? 1 : 0;
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      void Promise.resolve(emulator?.close())
        .catch((err: unknown) => logger.warn({ err }, 'emulator did not close'))
        .then(() => {
          logger.info({ exitCode }, 'all workers stopped');
          logger.flush(() => process.exit(exitCode));
        });
    },
  });
  let metricsPort: number | undefined;
  if (config.metrics.port !== undefined) {
    metricsServer = createHttpServer(createMetricsHandler(primary, config.metrics.authToken), config.limits.httpRequestTimeoutMs);
    metricsPort = (await listen(metricsServer, config.metrics.port, config.host)).port;
    metricsServer.on('error', (err) => logger.error({ err, code: 'INTERNAL' }, 'metrics server error'));
  }
  process.on('SIGTERM', () => primary.stop('SIGTERM'));
  process.on('SIGINT', () => primary.stop('SIGINT'));
  const port = await primary.start();
  logger.info({ ...listeningFields(config, port, config.lexEndpointUrl ?? emulator?.url), workers: config.workers, metricsPort }, 'lex connector listening');
}
