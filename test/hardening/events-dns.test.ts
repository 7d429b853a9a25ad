import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { eventsUrlAdmission, eventsUrlAllowed, loadEventsConfig } from '../../src/call/events-config.js';
import { isPublicAddress, publicOnlyLookup, type Resolver } from '../../src/events/public-address.js';
import { createWebhookSinks } from '../../src/events/webhook-sink.js';
import { Metrics } from '../../src/metrics.js';

// review-1 finding 11: EVENTS_URL_ALLOWLIST compared host names as written and never resolved
// them, so a wildcard entry (`https://*.tenants.example.com`) handed the choice of address to
// whoever controls DNS under that domain: a name resolving to 127.0.0.1, 10.x or 169.254.169.254
// (cloud metadata) got the signed events. URLs only a wildcard admits now connect to public
// addresses only, checked on the address actually connected to (no DNS rebinding).
const SECRET = 'events-secret-for-the-dns-tests-1';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A receiver on 127.0.0.1 that counts what reaches it. */
async function receiver(): Promise<{ port: number; requests: () => number }> {
  let n = 0;
  server = http.createServer((req, res) => {
    n++;
    req.resume();
    res.end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, requests: () => n };
}

/** DNS as an attacker who controls the zone would answer: every name is 127.0.0.1. */
const toLoopback: Resolver = (_name, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);

async function deliver(allowlist: string, eventsUrl: string) {
  const metrics = new Metrics(false);
  const config = loadEventsConfig({ EVENTS_SECRET: SECRET, EVENTS_URL_ALLOWLIST: allowlist, EVENTS_MAX_ATTEMPTS: '1' });
  const sinks = createWebhookSinks({ config, clock: new ManualClock(), metrics, logger: pino({ level: 'silent' }), resolve: toLoopback });
  const sink = sinks.factory({ callId: 'call-dns', route: 'v2', platform: 'vonage', eventsUrl })!;
  sink.emit({ type: 'dtmf', digits: '1' });
  await sinks.idle();
  const results = Object.fromEntries((await metrics.events.get()).values.map((v) => [v.labels.result, v.value]));
  const statuses = (await metrics.eventDelivery.get()).values.filter((v) => v.metricName?.endsWith('_count')).map((v) => v.labels.status);
  return { results, statuses };
}

describe('EVENTS_URL_ALLOWLIST wildcards and DNS', () => {
  it('a name a wildcard admits that resolves to loopback is never connected to: the event fails with ADDRESS_REFUSED', async () => {
    const r = await receiver();
    const { results, statuses } = await deliver(`http://*.tenants.test:${r.port}`, `http://evil.tenants.test:${r.port}/hook`);
    expect(r.requests()).toBe(0);
    expect(results).toEqual({ failed: 1 });
    expect(statuses).toEqual(['ADDRESS_REFUSED']);
  });

  it("an exact entry is the operator's own choice of host: delivered wherever it resolves (here loopback)", async () => {
    const r = await receiver();
    const { results } = await deliver(`http://127.0.0.1:${r.port}`, `http://127.0.0.1:${r.port}/hook`);
    expect(r.requests()).toBe(1);
    expect(results).toEqual({ delivered: 1 });
  });

  it('a wildcard never admits an IP literal', () => {
    const list = loadEventsConfig({ EVENTS_SECRET: SECRET, EVENTS_URL_ALLOWLIST: 'https://*.0.1,https://*.example.com' }).allowlist;
    expect(eventsUrlAllowed('https://127.0.0.1/x', list)).toBe(false);
    expect(eventsUrlAllowed('https://[::1]/x', list)).toBe(false);
    expect(eventsUrlAdmission('https://hooks.example.com/x', list)).toBe('wildcard');
  });

  it('classifies special-purpose addresses as not public', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('the lookup keeps only public answers of a name that resolves to both', async () => {
    const mixed: Resolver = (_n, _o, cb) =>
      cb(null, [
        { address: '10.0.0.5', family: 4 },
        { address: '93.184.216.34', family: 4 },
      ]);
    const lookup = publicOnlyLookup(mixed);
    const one = await new Promise<string>((resolve, reject) => lookup('x.example.com', {}, (err, address) => (err ? reject(err) : resolve(address as string))));
    expect(one).toBe('93.184.216.34');
  });
});
