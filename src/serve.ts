import type { Logger } from 'pino';
import { createConnector } from './app.js';
import type { WorkerLink } from './cluster/worker-link.js';
import type { Config } from './config.js';
import { embeddedBackEnd } from './emulator/embedded.js';
import { createEmulator, type Emulator } from './emulator/server.js';
import { DEMO_KEY } from './emulator/sigv4.js';
import { handleProcessFaults } from './process-faults.js';

/** True when this configuration runs the Lex emulator in-process as the Lex back-end. */
export function wantsEmbeddedEmulator(config: Config): boolean {
  return config.embeddedEmulator && !config.lexEndpointUrl;
}

/** Starts the embedded Lex emulator (once per server: the single process, or the cluster primary). */
export async function startEmbeddedEmulator(config: Config, logger: Logger): Promise<Emulator> {
  const emulator = await createEmulator({ host: '127.0.0.1', port: config.emulatorPort, voice: config.emulatorVoice, logger: logger.child({ component: 'emulator' }) });
  logger.info({ emulator: emulator.url, aws_key: DEMO_KEY.accessKeyId }, 'embedded Lex emulator is the Lex back-end (set LEX_ENDPOINT_URL or EMBEDDED_EMULATOR=false for AWS)');
  return emulator;
}

/** The configuration with the embedded emulator at `url` as its Lex back-end. */
function withEmulator(config: Config, url: string): Config {
  return {
    ...config,
    lexEndpointUrl: url,
    // The demo pair is public (it only opens the local emulator), so the examples may show it.
    example: config.example.awsKey ? config.example : { ...config.example, awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey, exposeCredentials: true },
  };
}

/** The fields of the 'lex connector listening' line (single process and cluster primary alike). */
export function listeningFields(config: Config, port: number, lexUrl = config.lexEndpointUrl): Record<string, unknown> {
  return { port, lex: lexUrl ?? 'AWS regional endpoints', phone: config.phonePage ? `http://localhost:${port}/phone` : undefined };
}

/** What `serveConnector` runs. */
export interface ServeOptions {
  config: Config;
  logger: Logger;
  /** Set in a cluster worker: the channel to the primary (which runs the emulator and serves METRICS_PORT). */
  link?: WorkerLink;
}

/**
 * Runs one connector in this process until SIGTERM/SIGINT (or, in a cluster worker, the
 * primary's drain request): listens, then on the signal drains (DRAIN_TIMEOUT_MS) and exits 0.
 */
export async function serveConnector({ config: base, logger, link }: ServeOptions): Promise<void> {
  let config = base;
  let emulator: Emulator | undefined;
  if (link?.emulatorUrl) config = withEmulator(config, link.emulatorUrl);
  else if (!link && wantsEmbeddedEmulator(config)) {
    emulator = await startEmbeddedEmulator(config, logger);
    config = withEmulator(config, emulator.url);
  }
  const connector = await createConnector({ config, logger, emulator: link ? link.emulator : emulator && embeddedBackEnd(emulator), worker: link?.hooks });
  link?.collect(connector.metrics.registry);
  const { port } = await connector.listen();
  // From here on a fault in one call must not end the others (before it, a failure exits 1).
  handleProcessFaults(process, logger, connector.metrics);
  if (link) {
    logger.info({ port }, 'worker listening');
    link.listening(port);
  } else {
    logger.info(listeningFields(config, port), 'lex connector listening');
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    connector
      .drain()
      .then(() => emulator?.close())
      // Every "call ended" line is out before the process goes.
      .then(() => new Promise<void>((resolve) => logger.flush(() => resolve())))
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  link?.onDrain(() => stop('primary'));
}
