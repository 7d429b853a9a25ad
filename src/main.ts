import 'dotenv/config';
import cluster from 'node:cluster';
import { runPrimary, WORKER_ENV } from './cluster/primary.js';
import { workerLink } from './cluster/worker-link.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { takeOverSdkNodeWarning } from './node-version.js';
import { serveConnector } from './serve.js';

/**
 * Process entry: config, then one of three roles. `WORKERS=1` (the default): one process serves
 * (src/serve.ts). `WORKERS>1`: this process is the cluster primary (src/cluster/primary.ts) and
 * forks that many workers, each serving as the single process does, behind the one port.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`lex-connector: ${(err as Error).message}`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger(config.logLevel);
  // A worker of our own primary; under another cluster manager (pm2 cluster mode) this process serves alone.
  const ourWorker = cluster.isWorker && process.env[WORKER_ENV] === '1';
  const nodeNotice = takeOverSdkNodeWarning();
  if (nodeNotice && !ourWorker) logger.warn({ node: process.version }, nodeNotice);
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config, logger);
  if (!ourWorker) return serveConnector({ config, logger });
  // Opened before anything else, so a drain request during start-up is not lost.
  const link = workerLink(process, process.env);
  await serveConnector({ config, logger: logger.child({ worker: cluster.worker?.id, pid: process.pid }), link });
}

main().catch((err: unknown) => {
  console.error('lex-connector: failed to start', err);
  process.exit(1);
});
