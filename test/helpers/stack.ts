import { Writable } from 'node:stream';
import { createConnector, type Connector } from '../../src/app.js';
import type { CallEventSinkFactory } from '../../src/call/call-events.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js';
import type { Clock } from '../../src/audio/clock.js';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';
import { embeddedBackEnd } from '../../src/emulator/embedded.js';
import { scaledClock } from './scaled-clock.js';

/** A connector wired to an in-process emulator, both on 127.0.0.1:0, with captured logs. */
export interface Stack {
  emu: Emulator;
  connector: Connector;
  /** `ws://127.0.0.1:PORT` */
  wsUrl: string;
  httpUrl: string;
  /** Every log line the connector wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/** NCCO headers with the emulator's demo credentials. */
export function demoHeaders(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey, ...extra };
}

/**
 * Starts an emulator and a connector using it. `embedded`: the connector is told the emulator
 * is its embedded back-end, as `npm run dev` and the demo do (browser calls may script it).
 */
export async function startStack(opts: { env?: Record<string, string>; clock?: Clock; emulator?: EmulatorOptions; eventSinks?: CallEventSinkFactory[]; embedded?: boolean } = {}): Promise<Stack> {
  const emu = await createEmulator({ today: () => new Date('2026-11-22T12:00:00Z'), conversation: { heartbeatMs: 0 }, ...opts.emulator });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // The stack's clock runs 10x fast, and deadlines run on it: generous defaults keep a loaded
  // machine from turning the product's short ones (first message 2 s, Lex 10 s, events 5 s: 0.2,
  // 1 and 0.5 s real here) into 4004s, LEX_TIMEOUTs and retries; tests of those deadlines set their own.
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LEX_ENDPOINT_URL: emu.url,
    LOG_LEVEL: 'debug',
    FIRST_MESSAGE_TIMEOUT_MS: '30000',
    LEX_TIMEOUT_MS: '60000',
    // An events attempt timing out under load is retried and then delivered twice (at least once).
    EVENTS_TIMEOUT_MS: '60000',
    ...opts.env,
  });
  const connector = await createConnector({
    config,
    logger: createLogger('debug', sink),
    clock: opts.clock ?? scaledClock(10),
    eventSinks: opts.eventSinks,
    emulator: opts.embedded ? embeddedBackEnd(emu) : undefined,
  });
  const { url } = await connector.listen();
  return {
    emu,
    connector,
    httpUrl: url,
    wsUrl: url.replace('http', 'ws'),
    logs,
    close: async () => {
      await connector.close();
      await emu.close();
    },
  };
}

/** Current value of `lexconn_errors_total{code}`. */
export async function errorCount(stack: Stack, code: string): Promise<number> {
  const m = await stack.connector.metrics.errors.get();
  return m.values.find((v) => v.labels.code === code)?.value ?? 0;
}

/** Resolves once `check` is true, polling the event loop (waits for a condition, never asserts time). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 5));
}
