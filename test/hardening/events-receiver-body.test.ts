import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { loadEventsConfig } from '../../src/call/events-config.js';
import { createWebhookSinks } from '../../src/events/webhook-sink.js';
import { Metrics } from '../../src/metrics.js';
import { until } from '../helpers/stack.js';

// A receiver on the allow-list (or EVENTS_URL) decides what it answers. The connector needs its
// status only: the body of the answer must not be read into memory, nor hold the call's queue.
const SECRET = 'events-secret-for-the-tests-0003';
const MB = 1024 * 1024;

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function listen(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

function sinksFor(url: string) {
  const metrics = new Metrics(false);
  // The manual clock never advances: no attempt times out, whatever the receiver does.
  const sinks = createWebhookSinks({ config: loadEventsConfig({ EVENTS_URL: url, EVENTS_SECRET: SECRET }), clock: new ManualClock(), metrics, logger: pino({ level: 'silent' }) });
  const sink = sinks.factory({ callId: 'call-body', route: 'v2', platform: 'vonage' })!;
  return { sinks, sink, metrics };
}

describe('events webhook: what the receiver answers', () => {
  it('a 2xx answer with an endless body is not read: the connection is dropped after the status, a few socket buffers at most', async () => {
    let written = 0;
    let requests = 0;
    const url = await listen((req, res) => {
      requests++;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(MB, 0x61);
      const pump = (): void => {
        while (written < 256 * MB && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    });
    const { sinks, sink, metrics } = sinksFor(url);
    sink.emit({ type: 'dtmf', digits: '1' });
    await sinks.idle();
    // The answer's headers said 200: delivered, and nothing waits.
    const results = Object.fromEntries((await metrics.events.get()).values.map((v) => [v.labels.result, v.value]));
    expect(results).toEqual({ delivered: 1 });
    expect(requests).toBe(1);
    // Loopback socket buffers hold a few MB; reading the body would take all 256.
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toBeLessThan(32 * MB);
    sinks.close();
  });

  it('a redirect (to an internal address, say) is never followed: one attempt, counted as failed, not retried', async () => {
    let internalHits = 0;
    const internal = http.createServer((req, res) => {
      internalHits++;
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/latest/meta-data`;
    let attempts = 0;
    const url = await listen((req, res) => {
      attempts++;
      req.resume();
      res.writeHead(307, { location: target }).end();
    });
    const { sinks, sink, metrics } = sinksFor(url);
    sink.emit({ type: 'dtmf', digits: '1' });
    await sinks.idle();
    sinks.close();
    await new Promise<void>((r) => internal.close(() => r()));
    expect({ attempts, internalHits }).toEqual({ attempts: 1, internalHits: 0 });
    const results = Object.fromEntries((await metrics.events.get()).values.map((v) => [v.labels.result, v.value]));
    expect(results).toEqual({ failed: 1 });
  });

  it('the status it answers cannot create metric series: lexconn_event_delivery_seconds{status} takes a fixed set of values', async () => {
    let next = 200;
    const url = await listen((req, res) => {
      req.resume();
      res.writeHead(next++).end();
    });
    const metrics = new Metrics(false);
    const sinks = createWebhookSinks({
      config: loadEventsConfig({ EVENTS_URL: url, EVENTS_SECRET: SECRET, EVENTS_MAX_ATTEMPTS: '1', EVENTS_QUEUE_MAX: '1000' }),
      clock: new ManualClock(),
      metrics,
      logger: pino({ level: 'silent' }),
    });
    const sink = sinks.factory({ callId: 'call-statuses', route: 'v2', platform: 'vonage' })!;
    for (let i = 0; i < 400; i++) sink.emit({ type: 'dtmf', digits: '1' });
    await sinks.idle();
    sinks.close();
    expect(next).toBeGreaterThanOrEqual(600);
    const statuses = new Set((await metrics.eventDelivery.get()).values.map((v) => v.labels.status));
    expect(statuses.size).toBeLessThanOrEqual(32);
    expect(statuses).toContain('204');
    expect(statuses).toContain('5xx');
  });

  it('a 2xx answer whose body never ends does not hold the next event of the call', async () => {
    const seen: number[] = [];
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(JSON.parse(body).seq);
        // Headers and a first byte, then nothing, ever.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('x');
      });
    });
    const { sinks, sink, metrics } = sinksFor(url);
    sink.emit({ type: 'dtmf', digits: '1' });
    sink.emit({ type: 'dtmf', digits: '2' });
    await until(() => seen.length === 2);
    await sinks.idle();
    expect(seen).toEqual([1, 2]);
    const results = Object.fromEntries((await metrics.events.get()).values.map((v) => [v.labels.result, v.value]));
    expect(results).toEqual({ delivered: 2 });
    sinks.close();
  });
});
