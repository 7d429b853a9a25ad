import type { Registry } from 'prom-client';
import type { WorkerHooks } from '../app.js';
import { DEMO_KEY } from '../emulator/sigv4.js';
import type { EmbeddedEmulator } from '../server/context.js';
import { asPrimaryMessage, type WorkerMessage } from './messages.js';

/** The environment key through which the primary gives each worker its embedded emulator's URL. */
export const EMULATOR_URL_ENV = 'LEXCONN_EMULATOR_URL';

/** How long a worker waits for the primary's answer to a scrape (prom-client's own bound is 5 s). */
const SCRAPE_TIMEOUT_MS = 10_000;

/** The part of `process` a worker talks to its primary through. */
export interface WorkerChannel {
  send?(message: WorkerMessage, sendHandle: undefined, options: object, callback: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A cluster worker's side of the IPC channel (src/cluster/primary.ts is the other side). */
export interface WorkerLink {
  /** What the worker's connector is given (`ConnectorDeps.worker`). */
  hooks: WorkerHooks;
  /** The primary's embedded emulator as this worker's Lex back-end, when it runs one. */
  emulatorUrl: string | undefined;
  /** The embedded emulator's controls, reached through the primary. */
  emulator: EmbeddedEmulator | undefined;
  /** The registry the primary's scrapes read (the connector's). */
  collect(registry: Registry): void;
  /** Tells the primary the connector listens. */
  listening(port: number): void;
  /**
   * Runs `drain` once when the primary asks for a drain. (A worker whose primary is gone exits at
   * once: node:cluster's own rule for an unexpected disconnect.)
   */
  onDrain(drain: () => void): void;
}

/** Opens the worker's side of the channel, before the connector starts. */
export function workerLink(proc: WorkerChannel, env: Record<string, string | undefined>): WorkerLink {
  let registry: Registry | undefined;
  const send = (m: WorkerMessage): void => {
    // A closed channel means the primary is gone, and node:cluster ends this worker.
    proc.send?.(m, undefined, {}, () => undefined);
  };
  const scrapes = new Map<number, { resolve(text: string): void; reject(err: Error): void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  let active = 0;
  let drainRequested = false;
  let drain: (() => void) | undefined;
  const requestDrain = (): void => {
    if (drainRequested) return;
    drainRequested = true;
    drain?.();
  };
  proc.on('message', (raw) => {
    const m = asPrimaryMessage(raw);
    if (m?.type === 'lexconn:drain') return requestDrain();
    if (m?.type === 'lexconn:collect') {
      const { id } = m;
      if (!registry) return send({ type: 'lexconn:metrics', id, error: 'not started' });
      registry.getMetricsAsJSON().then(
        (metrics) => send({ type: 'lexconn:metrics', id, metrics }),
        (err: unknown) => send({ type: 'lexconn:metrics', id, error: (err as Error).message }),
      );
      return;
    }
    if (m?.type !== 'lexconn:scrape-result') return;
    const pending = scrapes.get(m.id);
    if (!pending) return;
    scrapes.delete(m.id);
    clearTimeout(pending.timer);
    if (m.text !== undefined) pending.resolve(m.text);
    else pending.reject(new Error(`cluster metrics unavailable: ${m.error ?? 'no answer'}`));
  });
  const emulatorUrl = env[EMULATOR_URL_ENV] || undefined;
  return {
    hooks: {
      scrape: () =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          const timer = setTimeout(() => {
            scrapes.delete(id);
            reject(new Error('cluster metrics unavailable: the primary did not answer'));
          }, SCRAPE_TIMEOUT_MS);
          scrapes.set(id, { resolve, reject, timer });
          send({ type: 'lexconn:scrape', id });
        }),
      onActiveCalls: (delta) => {
        active += delta;
        send({ type: 'lexconn:active-calls', active });
      },
    },
    emulatorUrl,
    emulator: emulatorUrl ? { demoKey: DEMO_KEY, script: (sessionId, transcripts) => send({ type: 'lexconn:script', sessionId, transcripts }) } : undefined,
    collect: (r) => {
      registry = r;
    },
    listening: (port) => send({ type: 'lexconn:listening', port }),
    onDrain: (fn) => {
      drain = fn;
      if (drainRequested) fn();
    },
  };
}
