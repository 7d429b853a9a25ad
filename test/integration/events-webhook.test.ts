import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { loadEventsConfig } from '../../src/call/events-config.js';
import { verifyEvent } from '../../src/events/signature.js';
import { createWebhookSinks, type EventEnvelope } from '../../src/events/webhook-sink.js';
import { Metrics } from '../../src/metrics.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { type EventsReceiver, startEventsReceiver } from '../helpers/events-receiver.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack, until } from '../helpers/stack.js';

const SECRET = 'events-secret-for-the-tests-0002';

async function counter(stack: Stack, result: string): Promise<number> {
  const m = await stack.connector.metrics.events.get();
  return m.values.find((v) => v.labels.result === result)?.value ?? 0;
}

describe('events webhook: a receiver that never answers', () => {
  let stack: Stack;
  let hung: EventsReceiver;
  let ok: EventsReceiver;
  beforeAll(async () => {
    hung = await startEventsReceiver(SECRET, 'hang');
    ok = await startEventsReceiver(SECRET);
    const origin = (u: string) => new URL(u).origin;
    // Two events per call may wait (the one in flight and one more); the attempt never times out during the test.
    stack = await startStack({ env: { EVENTS_SECRET: SECRET, EVENTS_URL_ALLOWLIST: `${origin(hung.url)},${origin(ok.url)}`, EVENTS_QUEUE_MAX: '2', EVENTS_TIMEOUT_MS: '120000' } });
  });
  afterAll(async () => {
    await stack.close();
    await Promise.all([hung.close(), ok.close()]);
  });

  it('delays no audio frame of its call and nothing of another call; events beyond the queue bound are dropped and counted', async () => {
    const texts = ['I would like to order some flowers', 'roses', 'tomorrow'];
    const a = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('events-hung-a'), { rateHz: 16000, headers: demoHeaders({ events_url: hung.url }) });
    const b = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('events-ok-b'), { rateHz: 16000, headers: demoHeaders({ events_url: ok.url }) });
    const heard: Record<'a' | 'b', number[]> = { a: [], b: [] };
    for (const [i, text] of texts.entries()) {
      stack.emu.session('events-hung-a').script.push(text);
      stack.emu.session('events-ok-b').script.push(text);
      a.sendAudio(utterance(text, 16000, i + 1));
      b.sendAudio(utterance(text, 16000, i + 1));
      const [ra, rb] = await Promise.all([a.nextReply(), b.nextReply()]);
      heard.a.push(ra.frames.length);
      heard.b.push(rb.frames.length);
    }
    a.hangUp();
    b.hangUp();
    await Promise.all([a.closed, b.closed]);
    // Both callers heard every prompt whole, frame for frame, and nothing else.
    expect(heard.a).toEqual(heard.b);
    expect(heard.a.every((n) => n > 25)).toBe(true);
    expect(a.frames.length).toBe(b.frames.length);
    // The other call's events all arrived, in order and signed, while the first receiver still holds its request.
    await until(() => ok.received.some((r) => r.envelope.type === 'call.ended'));
    const evs = ok.received.map((r) => r.envelope);
    expect(evs.map((e) => e.type)).toEqual(['call.started', 'turn', 'turn', 'turn', 'call.ended']);
    expect(evs.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(ok.received.every((r) => r.valid)).toBe(true);
    expect(hung.held).toBe(1);
    // Five events for the hung receiver: one in flight, one queued, three dropped and counted.
    // (The receiver's answer reaches the sink a moment after the receiver recorded the event.)
    await until(async () => (await counter(stack, 'dropped')) === 3 && (await counter(stack, 'delivered')) === 5);
    const pending = await stack.connector.metrics.eventsPending.get();
    expect(pending.values[0].value).toBe(2);
    expect(stack.logs.filter((l) => l.includes('EVENTS_DELIVERY_FAILED'))).toHaveLength(1);
  });

  it('a per-call events_url outside EVENTS_URL_ALLOWLIST is refused with 4002 naming the field (no open SSRF)', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:1/x', `${ok.url.replace('http://', 'http://user:pw@')}`]) {
      const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('events-ssrf'), { rateHz: 16000, headers: demoHeaders({ events_url: url }) });
      expect(await phone.closed).toEqual({ code: 4002, reason: 'invalid configuration: events_url is not allowed by EVENTS_URL_ALLOWLIST' });
    }
  });
});

describe('events webhook delivery (injected clock)', () => {
  it('retries 5xx with backoff in order, gives up after EVENTS_MAX_ATTEMPTS without blocking the next event, and signs every attempt', async () => {
    const answers = [500, 503, 204, 500, 500, 500, 204];
    const NOW = Date.UTC(2026, 10, 26, 12);
    const got: { body: string; status: number; valid: boolean }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const status = answers.shift() ?? 204;
        got.push({ body, status, valid: verifyEvent(SECRET, body, String(req.headers['x-lexconn-signature']), String(req.headers['x-lexconn-timestamp']), NOW / 1000) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/e`;
    const clock = new ManualClock();
    const metrics = new Metrics(false);
    const sinks = createWebhookSinks({
      config: loadEventsConfig({ EVENTS_URL: url, EVENTS_SECRET: SECRET, EVENTS_MAX_ATTEMPTS: '3' }),
      clock,
      metrics,
      logger: pino({ level: 'silent' }),
      wallClock: () => NOW,
    });
    const sink = sinks.factory({ callId: 'call-1', route: 'v2', platform: 'vonage' })!;
    sink.emit({ type: 'call.started', platform: 'vonage', route: 'v2', rateHz: 16000 });
    sink.emit({ type: 'dtmf', digits: '12' });
    sink.emit({ type: 'call.ended', closeCode: 1000, reason: 'dialog ended', durationMs: 5, turns: 0, handedOff: false });
    const idle = sinks.idle();
    while (got.length < 7) {
      await new Promise((r) => setTimeout(r, 5));
      clock.advance(1000);
    }
    await idle;
    await new Promise<void>((r) => server.close(() => r()));
    const seqs = got.map((g) => (JSON.parse(g.body) as EventEnvelope).seq);
    expect(seqs).toEqual([1, 1, 1, 2, 2, 2, 3]); // event 2 failed three times, then event 3 went
    expect(got.every((g) => g.valid)).toBe(true);
    expect(JSON.parse(got[0].body)).toEqual({ callId: 'call-1', seq: 1, timestamp: '2026-11-26T12:00:00.000Z', type: 'call.started', data: { platform: 'vonage', route: 'v2', rateHz: 16000 } });
    const results = Object.fromEntries((await metrics.events.get()).values.map((v) => [v.labels.result, v.value]));
    expect(results).toEqual({ retried: 4, delivered: 2, failed: 1 });
  });
});
