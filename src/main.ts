import 'dotenv/config';
import { createConnector } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createEmulator, type Emulator } from './emulator/server.js';
import { DEMO_KEY } from './emulator/sigv4.js';
import { embeddedBackEnd } from './emulator/embedded.js';
import { handleProcessFaults } from './process-faults.js';
import { takeOverSdkNodeWarning } from './node-version.js';

/** Process entry: config, optional embedded emulator, server, signals, drain. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`lex-connector: ${(err as Error).message}`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config.logLevel);
  const nodeNotice = takeOverSdkNodeWarning();
  if (nodeNotice) logger.warn({ node: process.version }, nodeNotice);
  let emulator: Emulator | undefined;
  if (config.embeddedEmulator && !config.lexEndpointUrl) {
    emulator = await createEmulator({ host: '127.0.0.1', port: config.emulatorPort, voice: config.emulatorVoice, logger: logger.child({ component: 'emulator' }) });
    config = {
      ...config,
      lexEndpointUrl: emulator.url,
      // The demo pair is public (it only opens the local emulator), so the examples may show it.
      example: config.example.awsKey ? config.example : { ...config.example, awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey, exposeCredentials: true },
    };
    logger.info({ emulator: emulator.url, aws_key: DEMO_KEY.accessKeyId }, 'embedded Lex emulator is the Lex back-end (set LEX_ENDPOINT_URL or EMBEDDED_EMULATOR=false for AWS)');
  }
  const connector = await createConnector({ config, logger, emulator: emulator && embeddedBackEnd(emulator) });
  const { port } = await connector.listen();
  // From here on a fault in one call must not end the others (before it, a failure exits 1).
  handleProcessFaults(process, logger, connector.metrics);
  logger.info({ port, lex: config.lexEndpointUrl ?? 'AWS regional endpoints', phone: config.phonePage ? `http://localhost:${port}/phone` : undefined }, 'lex connector listening');

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
}

main().catch((err: unknown) => {
  console.error('lex-connector: failed to start', err);
  process.exit(1);
});
