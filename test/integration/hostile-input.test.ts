import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { openWs } from '../helpers/raw-ws.js';
import { ROUTES } from '../helpers/routes.js';

/** Close codes a hostile client may see; 1011 (internal error) would mean a bug. */
const ALLOWED = new Set([1000, 1001, 1002, 1005, 1006, 1007, 1009, 1013, 4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009]);

let stack: Stack;
const faults: unknown[] = [];
const onFault = (e: unknown) => faults.push(e);

beforeAll(async () => {
  stack = await startStack({ env: { MAX_MESSAGE_BYTES: '8192', FIRST_MESSAGE_TIMEOUT_MS: '5000', LEX_TIMEOUT_MS: '1000' } });
  process.on('unhandledRejection', onFault);
  process.on('uncaughtException', onFault);
});
afterAll(async () => {
  process.off('unhandledRejection', onFault);
  process.off('uncaughtException', onFault);
  await stack.close();
});

const PATHS = [ROUTES.v1('SESSION'), ROUTES.v2('SESSION'), ROUTES.conversation('SESSION')];
const EVENTS = ['websocket:connected', 'websocket:dtmf', 'websocket:notify', 'websocket:cleared', 'connected', 'start', 'media', 'mark', 'dtmf', 'stop', 'clear'];

const jsonValue = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
const action = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), data: fc.string({ maxLength: 200 }) }),
  fc.record({
    kind: fc.constant('json' as const),
    event: fc.constantFrom(...EVENTS, 'websocket:hangup', 'x'),
    extra: fc.dictionary(fc.constantFrom('digit', 'payload', 'streamSid', 'media', 'mark', 'start', 'content-type', 'sensitivity', 'aws_key'), jsonValue, { maxKeys: 4 }),
  }),
  fc.record({
    kind: fc.constant('config' as const),
    rate: fc.constantFrom(8000, 16000, 24000, 11025),
    extra: fc.dictionary(fc.constantFrom('sensitivity', 'silence_time', 'clip_min', 'barge_in', 'welcome_message'), jsonValue, { maxKeys: 2 }),
  }),
  fc.record({ kind: fc.constant('twilio' as const), media: fc.boolean(), sid: fc.constantFrom('MZ1', 'MZ2') }),
  fc.record({ kind: fc.constant('binary' as const), size: fc.integer({ min: 0, max: 10000 }), fill: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('dtmf' as const), digit: fc.constantFrom('1', '#', '*', 'A', 'x', '') }),
  fc.record({ kind: fc.constant('pings' as const), count: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('dtmfBurst' as const), count: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('closeWith' as const), code: fc.constantFrom(1000, 1001, 3000, 4000, 4999) }),
  fc.constant({ kind: 'terminate' as const }),
);

function send(ws: WebSocket, a: { kind: string } & Record<string, unknown>): boolean {
  if (ws.readyState !== ws.OPEN) return false;
  switch (a.kind) {
    case 'text':
      ws.send(String(a.data));
      return true;
    case 'json':
      ws.send(JSON.stringify({ event: a.event, ...(a.extra as object) }));
      return true;
    case 'config':
      ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': `audio/l16;rate=${a.rate}`, ...demoHeaders(), ...(a.extra as object) }));
      return true;
    case 'twilio': {
      const start = { event: 'start', sequenceNumber: '1', streamSid: 'MZ1', start: { streamSid: 'MZ1', customParameters: demoHeaders() } };
      ws.send(JSON.stringify(a.media ? { event: 'media', streamSid: a.sid, media: { payload: 'AAAA' } } : start));
      return true;
    }
    case 'binary':
      ws.send(Buffer.alloc(Number(a.size), Number(a.fill)), { binary: true });
      return true;
    case 'dtmf':
      ws.send(JSON.stringify({ event: 'websocket:dtmf', digit: a.digit }));
      return true;
    case 'pings':
      for (let i = 0; i < Number(a.count); i++) ws.ping();
      return true;
    case 'dtmfBurst':
      for (let i = 0; i < Number(a.count); i++) ws.send(JSON.stringify({ event: 'websocket:dtmf', digit: '1' }));
      return true;
    case 'closeWith':
      ws.close(Number(a.code));
      return false;
    case 'terminate':
      ws.terminate();
      return false;
    default:
      return false;
  }
}

describe('hostile input (property-based)', () => {
  it('random, malformed and out-of-order messages and abrupt disconnects: no crash, documented close codes, nothing leaks', async () => {
    const baseline = process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length;
    let run = 0;
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.constantFrom('none', 'vonage', 'twilio'), fc.array(action, { minLength: 1, maxLength: 12 }), async (path, opening, actions) => {
        const ws = await openWs(stack.wsUrl + path.replace('SESSION', `hostile-${run++}`));
        const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
        // Half the runs start as a configured call, so what follows hits a live session.
        if (opening === 'vonage') send(ws, { kind: 'config', rate: 16000, extra: {} } as never);
        if (opening === 'twilio') send(ws, { kind: 'twilio', media: false, sid: 'MZ1' } as never);
        for (const a of actions) {
          if (!send(ws, a as never)) break;
          await new Promise((r) => setImmediate(r));
        }
        if (ws.readyState === ws.OPEN) ws.close(1000);
        const code = await closed;
        seen.set(code, (seen.get(code) ?? 0) + 1);
        // A code the client chose itself comes back to it; any other must be documented.
        const chosen = actions.some((a) => a.kind === 'closeWith' && a.code === code);
        expect(chosen || ALLOWED.has(code), `close code ${code}`).toBe(true);
      }),
      { numRuns: 120, seed: 20261122 },
    );
    expect(faults).toEqual([]);
    // The generator reaches many different paths, not one early exit.
    expect([...seen.keys()].length, JSON.stringify([...seen])).toBeGreaterThanOrEqual(6);
    console.log('hostile-input close codes seen:', JSON.stringify([...seen].sort()));
    await until(() => stack.connector.activeCalls() === 0);
    // Sessions' timers (DTMF, reopen, disconnect grace) and sockets are all released.
    await until(() => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length <= baseline);
    // The server still serves.
    expect(await (await fetch(stack.httpUrl + '/ping')).text()).toBe('ok');
  });
});
