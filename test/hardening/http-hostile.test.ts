import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startStack, type Stack } from '../helpers/stack.js';
import { rawRequest, statusOf } from '../helpers/raw-http.js';

// Every HTTP handler under random and malformed requests: an answer with a 4xx (or 200/503), never a
// crash, never a 500, never a hung connection; the process-level handlers see nothing.
let stack: Stack;
const faults: unknown[] = [];
const onFault = (e: unknown) => faults.push(e);
beforeAll(async () => {
  stack = await startStack({ env: { TWILIO_AUTH_TOKEN: 'http-hostile-token', CONNECTOR_AUTH_TOKEN: 'http-hostile-auth', HTTP_REQUEST_TIMEOUT_MS: '2000' } });
  process.on('unhandledRejection', onFault);
  process.on('uncaughtException', onFault);
});
afterAll(async () => {
  process.off('unhandledRejection', onFault);
  process.off('uncaughtException', onFault);
  await stack.close();
});
const port = () => Number(new URL(stack.httpUrl).port);

const PATHS = [
  '/',
  '/answer',
  '/twiml',
  '/ping',
  '/health',
  '/ready',
  '/metrics',
  '/event',
  '/phone',
  '/chat/twilio',
  '/chat/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/s1/text',
  '/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/s1/utterance',
  '/bot/OrderFlowers/alias/%24LATEST/user/u1/content',
];
const HOSTS = ['127.0.0.1', '1.2.3.256', '0x100000000', '[::1', 'a'.repeat(300), 'evil.example.com/path', '999.999.999.999', 'host:99999', ''];
const segment = fc.oneof(fc.constantFrom('%', '%zz', '%00', '..', '.', '%2e%2e', '\u00e9', '?', '#', '//', 'a'.repeat(500)), fc.string({ maxLength: 12 }));
const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.tuple(fc.constantFrom(...PATHS), fc.array(segment, { maxLength: 3 })).map(([p, s]) => p + s.join('/')),
  fc.tuple(fc.constantFrom(...PATHS), fc.string({ maxLength: 40 })).map(([p, q]) => `${p}?${encodeURIComponent(q)}&uuid=${encodeURIComponent(q)}&CallSid=${encodeURIComponent(q)}`),
);
const headerValue = fc.oneof(
  fc.constantFrom(...HOSTS),
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ')),
);
const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'G\u00c9T'),
  path,
  host: fc.constantFrom(...HOSTS),
  headers: fc.dictionary(
    fc.constantFrom('X-Forwarded-Host', 'X-Forwarded-Proto', 'Content-Type', 'Authorization', 'X-Twilio-Signature', 'Upgrade', 'Connection', 'Transfer-Encoding', 'Expect'),
    headerValue,
    { maxKeys: 4 },
  ),
  body: fc.oneof(fc.constant(''), fc.string({ maxLength: 300 }), fc.constantFrom('CallSid=CA1&From=%2B1555', '{"text":"hi"}', '{"text":', 'a=%zz&b', 'x'.repeat(70 * 1024))),
});

function serialize(r: { method: string; path: string; host: string; headers: Record<string, string>; body: string }): string {
  const lines = [`${r.method} ${r.path.replace(/[\s]/g, '%20')} HTTP/1.1`, `Host: ${r.host}`];
  for (const [k, v] of Object.entries(r.headers)) if (k !== 'Transfer-Encoding') lines.push(`${k}: ${v}`);
  lines.push(`Content-Length: ${Buffer.byteLength(r.body)}`, 'Connection: close', '', r.body);
  return lines.join('\r\n');
}

describe('hostile HTTP (property-based)', () => {
  it('random methods, paths, hosts, headers and bodies: an answer below 500 (or 503), no crash', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await rawRequest(port(), serialize(r), 3000);
        const status = statusOf(res);
        expect(status, `no answer to ${JSON.stringify(r).slice(0, 300)}`).toBeDefined();
        seen.set(status!, (seen.get(status!) ?? 0) + 1);
        expect(status! < 500 || status === 503, `status ${status} for ${JSON.stringify(r).slice(0, 300)}`).toBe(true);
      }),
      { numRuns: 300, seed: 20261126 },
    );
    console.log('hostile-http statuses seen:', JSON.stringify([...seen].sort()));
    expect(faults).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(await (await fetch(stack.httpUrl + '/ping')).text()).toBe('ok');
  });

  it.each([
    ['a request line of garbage', 'HELLO\r\n\r\n'],
    ['a header without a colon', 'GET /ping HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'],
    ['both Content-Length and Transfer-Encoding', 'POST /twiml HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a bad chunk size', 'POST /twiml HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['a negative Content-Length', 'POST /twiml HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
    ['an oversized header', `GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['an invalid HTTP version', 'GET /ping HTTP/9.9\r\nHost: x\r\n\r\n'],
  ])('%s gets a 4xx answer', async (_name, raw) => {
    const status = statusOf(await rawRequest(port(), raw, 2000));
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(await (await fetch(stack.httpUrl + '/ping')).text()).toBe('ok');
  });

  it('a request line without a version (HTTP/0.9 style) is answered, and the server goes on', async () => {
    const status = statusOf(await rawRequest(port(), 'GET /ping\r\n\r\n', 2000));
    expect(status).toBeDefined();
    expect(status).toBeLessThan(500);
    expect(await (await fetch(stack.httpUrl + '/ping')).text()).toBe('ok');
  });

  it('a body sent slower than the body deadline is cut with 408, and other requests are served meanwhile', async () => {
    const { default: net } = await import('node:net');
    const sock = net.connect(port(), '127.0.0.1');
    let out = '';
    sock.on('data', (d) => (out += d.toString()));
    const ended = new Promise<void>((r) => sock.on('close', () => r()));
    sock.write('POST /twiml HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nCallSid=');
    const tick = setInterval(() => sock.writable && sock.write('a'), 200);
    expect(await (await fetch(stack.httpUrl + '/ping')).text()).toBe('ok');
    await ended;
    clearInterval(tick);
    expect(statusOf(out)).toBe(408);
  }, 60_000);
});
