import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/audio/clock.js';
import { loadEventsConfig } from '../../src/call/events-config.js';
import { createWebhookSinks } from '../../src/events/webhook-sink.js';
import { Metrics } from '../../src/metrics.js';

const SECRET = 'docs-snippet-secret-0123456789';
const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

/** The first fenced block of `lang` in docs/events.md. */
function block(lang: string): string {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(doc);
  if (!m) throw new Error(`no ${lang} block in docs/events.md`);
  return m[1];
}

const hasPython = spawnSync('python3', ['--version']).status === 0;
if (!hasPython) console.warn('events-docs.test.ts: python3 not installed, the Python verification snippet is not run (skipped)');

/** A real delivery from the webhook sink, as the receiver got it. */
let delivery: { body: Buffer; signature: string; timestamp: string };
const dir = mkdtempSync(join(tmpdir(), 'lexconn-events-'));
beforeAll(async () => {
  const got = new Promise<typeof delivery>((resolve) => {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        server.close();
        resolve({ body: Buffer.concat(chunks), signature: String(req.headers['x-lexconn-signature']), timestamp: String(req.headers['x-lexconn-timestamp']) });
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const sinks = createWebhookSinks({ config: loadEventsConfig({ EVENTS_URL: url, EVENTS_SECRET: SECRET }), clock: systemClock, metrics: new Metrics(false), logger: pino({ level: 'silent' }) });
      // Non-ASCII text: the signature covers the raw UTF-8 bytes.
      sinks.factory({ callId: 'c-1', route: 'v2', platform: 'vonage' })!.emit({
        type: 'turn',
        turn: { input: 'speech', transcript: 'Crème brûlée, s’il vous plaît', outcome: 'played', bargeIn: false, endsCall: false, handoff: false },
      });
    });
  });
  delivery = await got;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/events.md verification snippets, on a real delivery', () => {
  it('Node: accepts the delivery, refuses a changed body, a wrong secret and a stale timestamp', () => {
    writeFileSync(join(dir, 'verify.mjs'), block('js'));
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { verifyLexconnEvent } from './verify.mjs';
const [secret, bodyB64, sig, ts] = process.argv.slice(2);
const body = Buffer.from(bodyB64, 'base64');
const tampered = Buffer.from(body.toString('utf8').replace('brûlée', 'brulee'));
console.log(JSON.stringify([
  verifyLexconnEvent(secret, body, sig, ts),
  verifyLexconnEvent(secret, body.toString('utf8'), sig, ts),
  verifyLexconnEvent(secret, tampered, sig, ts),
  verifyLexconnEvent(secret + 'x', body, sig, ts),
  verifyLexconnEvent(secret, body, sig, String(Number(ts) - 3600)),
]));`,
    );
    const out = execFileSync(process.execPath, [join(dir, 'run.mjs'), SECRET, delivery.body.toString('base64'), delivery.signature, delivery.timestamp], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true, false, false, false]);
  });

  it.skipIf(!hasPython)('Python: accepts the delivery, refuses a changed body, a wrong secret and a stale timestamp', () => {
    const script = `${block('python')}
import base64, json, sys
secret, body_b64, sig, ts = sys.argv[1:]
body = base64.b64decode(body_b64)
tampered = body.decode().replace("brûlée", "brulee").encode()
print(json.dumps([
    verify_lexconn_event(secret, body, sig, ts),
    verify_lexconn_event(secret, tampered, sig, ts),
    verify_lexconn_event(secret + "x", body, sig, ts),
    verify_lexconn_event(secret, body, sig, str(int(ts) - 3600)),
]))
`;
    writeFileSync(join(dir, 'verify.py'), script);
    const out = execFileSync('python3', [join(dir, 'verify.py'), SECRET, delivery.body.toString('base64'), delivery.signature, delivery.timestamp], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, false, false, false]);
  });

  it('the envelope example fields match a real delivery', () => {
    const e = JSON.parse(delivery.body.toString('utf8'));
    expect(Object.keys(e)).toEqual(['callId', 'seq', 'timestamp', 'type', 'data']);
    expect(e).toMatchObject({ callId: 'c-1', seq: 1, type: 'turn', data: { turn: { transcript: 'Crème brûlée, s’il vous plaît' } } });
    expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
