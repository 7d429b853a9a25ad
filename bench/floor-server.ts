/**
 * The floor: the least a server must do for a call, to measure the connector against.
 * A `ws` server that parses each call's first message, runs the connector's default VAD
 * on every inbound 20 ms frame and sends one 20 ms frame back per inbound frame. No
 * resampling, segmentation, Lex, pacing or metrics: whatever the connector spends beyond
 * this is its own overhead.
 *
 * The VAD is the one the connector would load with the same environment: the engine comes
 * from `loadConfig` (`VAD_ENGINE` and its default) through `VadFactory`, as in `app.ts`;
 * the mode is the first message's `sensitivity`, defaulting as `parseCallConfig` does.
 *
 * `GET /metrics` answers `nodejs_eventloop_lag_p99_seconds` measured as prom-client
 * measures it in the connector (monitorEventLoopDelay at 10 ms resolution, reset per
 * scrape). Prints `{"port":N}` once listening. Env: `PORT` (default 0), `HOST`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer, type RawData } from 'ws';
import { loadConfig } from '../src/config.js';
import { VadFactory, type VadScorer } from '../src/audio/vad.js';
import { asInt16, frameBytes } from '../src/audio/pcm.js';

const config = loadConfig({ ...process.env, EMBEDDED_EMULATOR: 'false' });
const vad = await VadFactory.load(config.vadEngine);
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const server = http.createServer((req, res) => {
  if (req.url !== '/metrics') return void res.writeHead(404).end();
  const p99 = loopDelay.percentile(99) / 1e9;
  loopDelay.reset();
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`nodejs_eventloop_lag_p99_seconds ${p99}\n`);
});
const wss = new WebSocketServer({ server, maxPayload: config.maxMessageBytes, perMessageDeflate: false });
const ignore = (): void => {};

wss.on('connection', (ws) => {
  let scorer: VadScorer | undefined;
  let bytes = 0;
  ws.on('message', (data: RawData, isBinary) => {
    const buf = data as Buffer;
    if (!isBinary) {
      if (scorer) return;
      const first = JSON.parse(buf.toString()) as Record<string, unknown>;
      const rate = Number(/rate=(\d+)/i.exec(String(first['content-type'] ?? ''))?.[1] ?? 16000);
      const mode = first.sensitivity === undefined ? 2 : Number(first.sensitivity);
      scorer = vad.create(mode, rate);
      bytes = frameBytes(rate);
      return;
    }
    if (!scorer || buf.length !== bytes) return;
    scorer.score(asInt16(buf), ignore);
    ws.send(buf);
  });
  ws.on('close', () => scorer?.close());
  ws.on('error', () => ws.terminate());
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => process.exit(0));
