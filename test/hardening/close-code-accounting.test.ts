import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { utterance } from '../helpers/audio.js';
import { RawWsClient } from '../helpers/raw-ws-client.js';

// Issue 10.9: the close code recorded (metric and "call ended" line) must be the one the
// server decided, never the code a client echoes or chooses; labels come from a fixed set.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { MAX_BUFFERED_BYTES: '16384' }, emulator: { replyMs: 60_000 } });
});
afterAll(async () => {
  await stack.close();
});

const port = () => Number(new URL(stack.httpUrl).port);
const connected = (rate: number, extra: Record<string, unknown> = {}) => JSON.stringify({ event: 'websocket:connected', 'content-type': `audio/l16;rate=${rate}`, ...demoHeaders(), ...extra });

async function closes(): Promise<Record<string, number>> {
  const m = await stack.connector.metrics.closes.get();
  return Object.fromEntries(m.values.map((v) => [String(v.labels.code), v.value]));
}

function endedLine(session: string): Record<string, unknown> | undefined {
  const line = stack.logs.find((l) => l.includes('"msg":"call ended"') && l.includes(session));
  return line ? JSON.parse(line) : undefined;
}

describe('close-code accounting', () => {
  it('a server close 4002 echoed by the client as 1000 is recorded as 4002', async () => {
    const before = (await closes())['4002'] ?? 0;
    const c = await RawWsClient.connect(port(), ROUTES.v2('echo-1000'));
    c.sendText(connected(16000, { sensitivity: 9 }));
    const f = await c.waitFor((x) => x.opcode === 8);
    expect(f.payload.readUInt16BE(0)).toBe(4002);
    c.sendClose(1000);
    await c.ended;
    await until(async () => ((await closes())['4002'] ?? 0) === before + 1);
    expect((await closes())['1000'] ?? 0).toBe(0);
  });

  it('a slow reader is recorded as 4006 (the code decided), not 1006', async () => {
    const session = 'slow-reader-acct';
    const c = await RawWsClient.connect(port(), ROUTES.v2(session));
    c.sendText(connected(16000));
    c.sock.pause(); // never reads again
    stack.emu.session(session).script.push('order flowers');
    const speech = utterance('order flowers', 16000);
    for (let off = 0; off < speech.length; off += 640) c.sendBinary(speech.subarray(off, off + 640));
    await until(() => endedLine(session) !== undefined);
    expect(endedLine(session)?.closeCode).toBe(4006);
    expect((await closes())['4006']).toBeGreaterThanOrEqual(1);
    c.destroy();
  });

  it('client-chosen close codes do not create metric series of their own', async () => {
    for (const code of [3000, 3999, 4321, 4999, 1003]) {
      const c = await RawWsClient.connect(port(), ROUTES.v2(`client-code-${code}`));
      c.sendText(connected(8000));
      await until(() => stack.connector.activeCalls() > 0);
      c.sendClose(code);
      await c.ended;
    }
    await until(() => stack.connector.activeCalls() === 0);
    const labels = Object.keys(await closes());
    for (const code of ['3000', '3999', '4321', '4999', '1003']) expect(labels).not.toContain(code);
    expect(labels).toContain('other');
  });
});
