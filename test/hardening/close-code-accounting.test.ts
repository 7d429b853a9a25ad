import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { noise, utterance } from '../helpers/audio.js';
import { RawWsClient } from '../helpers/raw-ws-client.js';
import { scaledClock } from '../helpers/scaled-clock.js';

// Issue 10.9: the close code recorded (metric and "call ended" line) must be the one the
// server decided, never the code a client echoes or chooses; labels come from a fixed set.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
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

  it('a reader that stops reading is closed with 4006, recorded as 4006 (not 1006), and cut after CLOSE_TIMEOUT_MS', async () => {
    // Loopback sockets buffer megabytes in the kernel: 2-minute replies (the pacer's bound) at
    // 24 kHz, played 100 times faster than real time, fill them within a few turns, and then
    // MAX_BUFFERED_BYTES fills.
    const fast = await startStack({ env: { MAX_BUFFERED_BYTES: '16384', LEX_TIMEOUT_MS: '120000' }, clock: scaledClock(100) });
    try {
      const session = 'slow-reader-acct';
      const c = await RawWsClient.connect(Number(new URL(fast.httpUrl).port), ROUTES.v2(session));
      c.sendText(connected(24000));
      c.sock.pause(); // never reads again
      const ended = () => fast.logs.find((l) => l.includes('"msg":"call ended"'));
      const sent = async () => (await fast.connector.metrics.framesSent.get()).values.reduce((a, v) => a + v.value, 0);
      const speech = utterance('order flowers', 24000);
      for (let turn = 0; turn < 10 && !ended(); turn++) {
        fast.emu.session(session).script.push('order flowers');
        fast.emu.session(session).replyAudio = noise(120_000, 16000);
        const before = await sent();
        for (let off = 0; off < speech.length; off += 960) c.sendBinary(speech.subarray(off, off + 960));
        // The whole reply is out (or the call is over) before the next turn.
        await until(async () => ended() !== undefined || (await sent()) >= before + 5900);
      }
      await until(() => ended() !== undefined);
      expect(JSON.parse(ended()!).closeCode).toBe(4006);
      const m = await fast.connector.metrics.closes.get();
      expect(m.values.find((v) => v.labels.code === '4006')?.value).toBe(1);
      // The socket was cut although the client never answered: reading again, it finds the end.
      // (Its close frame sat behind megabytes the client never read, so it never saw 4006.)
      c.sock.resume();
      await c.ended;
    } finally {
      await fast.close();
    }
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
