import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';

// Issue 10.6: on /conversation, a stream that Lex accepted but never answered hung the call until
// MAX_CALL_MS. A watchdog now reopens it (counted) and closes with 4008 when reopening does not help.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { LEX_TIMEOUT_MS: '3000' } });
});
afterAll(async () => {
  await stack.close();
});

async function reopens(): Promise<number> {
  return (await stack.connector.metrics.streamReopens.get()).values.reduce((a, v) => a + v.value, 0);
}

describe('StartConversation watchdog', () => {
  it('a stream that never answers the welcome is reopened, then the call closes with 4008', async () => {
    const session = 'silent-stream';
    stack.emu.session(session).faults.push({ fault: { type: 'hang' }, times: -1 });
    const before = await reopens();
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.conversation(session), { rateHz: 8000, headers: demoHeaders({ welcome_message: 'Hello there' }) });
    phone.sendSilence(100);
    const closed = await phone.closed;
    expect(closed.code).toBe(4008);
    expect(closed.reason).toBe('lex stream failed: no answer from Lex');
    expect((await reopens()) - before).toBe(3);
    expect(stack.emu.session(session).faults[0].times).toBe(-1);
  });

  it('one silent stream is reopened and the welcome plays on the new one', async () => {
    const session = 'silent-once';
    stack.emu.session(session).faults.push({ fault: { type: 'hang' }, times: 1 });
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.conversation(session), { rateHz: 8000, headers: demoHeaders({ welcome_message: 'Hello there' }) });
    phone.sendSilence(100);
    const welcome = await phone.nextReply();
    expect(welcome.frames.length).toBeGreaterThan(10);
    expect(stack.emu.session(session).streams).toBe(1);
    phone.hangUp();
  });

  it('caller speech with no answer from Lex reopens the stream', async () => {
    const session = 'silent-turn';
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.conversation(session), { rateHz: 8000, headers: demoHeaders() });
    // The open stream goes silent: the emulator holds its answer to the turn for a minute.
    stack.emu.session(session).latency = { processingDelayMs: 60_000 };
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 8000));
    phone.sendSilence(2000);
    const before = await reopens();
    // After LEX_TIMEOUT_MS without any event after the caller stopped, the stream is reopened.
    while ((await reopens()) === before) await new Promise((r) => setTimeout(r, 10));
    expect(phone.ws.readyState).toBe(phone.ws.OPEN);
    phone.hangUp();
  });
});
