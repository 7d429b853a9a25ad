import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { utterance } from '../helpers/audio.js';
import { openWs, closeOf } from '../helpers/raw-ws.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';

// Issue 10.3: with CONNECTOR_AUTH_TOKEN set, sockets that never send a first message filled every
// MAX_CALLS slot, so callers with a valid token were refused; /health and the metric disagreed.
const AUTH = 'pool-test-token';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CONNECTOR_AUTH_TOKEN: AUTH, MAX_CALLS: '3', MAX_PENDING_CONNECTIONS: '4', FIRST_MESSAGE_TIMEOUT_MS: '60000' } });
});
afterAll(async () => {
  await stack.close();
});

async function activeMetric(): Promise<number> {
  const m = await stack.connector.metrics.activeCalls.get();
  return m.values.reduce((a, v) => a + v.value, 0);
}

describe('unauthenticated connections have a pool of their own', () => {
  it('silent sockets fill only the pending pool; authenticated callers still get through; /health agrees with the metric', async () => {
    const silent = await Promise.all([1, 2, 3, 4].map((i) => openWs(stack.wsUrl + ROUTES.v2(`silent-${i}`))));
    await expect(openWs(stack.wsUrl + ROUTES.v2('silent-5'))).rejects.toMatchObject({ status: 503 });
    // A bearer-authenticated call is not refused.
    const byHeader = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('auth-header'), { rateHz: 16000, headers: demoHeaders(), authorization: `Bearer ${AUTH}` });
    stack.emu.session('auth-header').script.push('order flowers');
    byHeader.sendAudio(utterance('order flowers', 16000));
    expect((await byHeader.nextReply()).frames.length).toBeGreaterThan(50);
    const health = (await (await fetch(stack.httpUrl + '/health')).json()) as { activeCalls: number; pendingConnections: number };
    expect(health.activeCalls).toBe(1);
    expect(health.activeCalls).toBe(await activeMetric());
    expect(health.pendingConnections).toBe(4);
    // A silent socket that authenticates with its first message becomes a call.
    const closed0 = closeOf(silent[0]);
    silent[0].send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000', ...demoHeaders(), token: AUTH }));
    await until(async () => (await activeMetric()) === 2);
    // A silent socket that sends a wrong token is refused and frees its pending slot.
    const closed1 = closeOf(silent[1]);
    silent[1].send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000', ...demoHeaders(), token: 'wrong' }));
    expect((await closed1).code).toBe(4003);
    const again = await openWs(stack.wsUrl + ROUTES.v2('silent-6'));
    for (const ws of [...silent.slice(2), again]) ws.close();
    silent[0].close();
    await closed0;
    byHeader.hangUp();
  });

  it('a first-message-authenticated call arriving when MAX_CALLS is full is closed with 1013', async () => {
    await until(() => stack.connector.activeCalls() === 0);
    const calls = await Promise.all([1, 2, 3].map((i) => VonagePhone.connect(stack.wsUrl + ROUTES.v2(`full-${i}`), { rateHz: 8000, headers: demoHeaders(), authorization: `Bearer ${AUTH}` })));
    await until(async () => (await activeMetric()) === 3);
    const late = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('full-late'), { rateHz: 8000, headers: { ...demoHeaders(), token: AUTH } });
    expect((await late.closed).code).toBe(1013);
    for (const c of calls) c.hangUp();
  });
});
