/**
 * `npx tsx bench/twilio-client.ts`: what the official `twilio` helper costs per REST request
 * compared with a hand-written request, against a local server that answers like Twilio
 * (201 + message JSON). Reports wall time and process CPU per request, sequential requests
 * on a keep-alive connection. Results: bench/results/twilio-client-*.json, docs/dependencies.md.
 */
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../src/audio/clock.js';
import { createTwilioHttpClient } from '../src/chat/twilio-http-client.js';

const N = Number(process.env.N ?? 3000);
const ACCOUNT = 'AC' + '0'.repeat(32);
const TOKEN = 'bench-token';
const SID = 'CH' + '1'.repeat(32);
const REPLY = JSON.stringify({
  sid: 'IM' + '2'.repeat(32),
  account_sid: ACCOUNT,
  conversation_sid: SID,
  index: 1,
  author: 'bot',
  body: 'What day do you want the roses to be picked up?',
  attributes: '{}',
  date_created: new Date().toISOString(),
});

async function measure(name: string, once: () => Promise<void>): Promise<Record<string, number | string>> {
  for (let i = 0; i < 200; i++) await once(); // warm-up (JIT, connection)
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await once();
  const wallUs = ((performance.now() - t0) * 1000) / N;
  const cpu = process.cpuUsage(cpu0);
  return { name, requests: N, wallUsPerRequest: Math.round(wallUs), cpuUsPerRequest: Math.round((cpu.user + cpu.system) / N) };
}

async function main(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(REPLY) });
      res.end(REPLY);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t0 = performance.now();
  const twilio = (await import('twilio')).default;
  const importMs = performance.now() - t0;
  const httpClient = createTwilioHttpClient(twilio.RequestClient, { baseUrl: base, timeoutMs: 10_000, maxAttempts: 1, retryBaseMs: 1, retryMaxMs: 1, clock: systemClock });
  const client = twilio(ACCOUNT, TOKEN, { httpClient });
  const results = [];
  results.push(
    await measure('twilio helper: conversations(...).messages.create', async () => {
      await client.conversations.v1.conversations(SID).messages.create({ author: 'bot', body: 'What day do you want the roses to be picked up?' });
    }),
  );
  const auth = 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64');
  const body = new URLSearchParams({ Author: 'bot', Body: 'What day do you want the roses to be picked up?' }).toString();
  results.push(
    await measure('fetch (undici) by hand', async () => {
      const r = await fetch(`${base}/conversations.twilio.com/v1/Conversations/${SID}/Messages`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await r.json();
    }),
  );
  const agent = new http.Agent({ keepAlive: true });
  results.push(
    await measure(
      'node:http by hand (keep-alive agent)',
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.request(
            `${base}/conversations.twilio.com/v1/Conversations/${SID}/Messages`,
            { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
            (res) => {
              let s = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (s += c));
              res.on('end', () => {
                JSON.parse(s);
                resolve();
              });
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
    ),
  );
  agent.destroy();
  server.close();
  const out = { date: new Date().toISOString(), node: process.version, importTwilioMs: Math.round(importMs), results };
  console.table(results);
  console.log(`import('twilio'): ${out.importTwilioMs} ms`);
  const file = `bench/results/twilio-client-${out.date.replace(/[:.]/g, '-').slice(0, 19)}.json`;
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${file}`);
  process.exit(0);
}

void main();
