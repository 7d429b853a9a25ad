import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, errorCount, until, type Stack } from '../helpers/stack.js';
import { noise, pcm, tone, utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { asBytes } from '../../src/audio/pcm.js';
import { ROUTES } from '../helpers/routes.js';

let stack: Stack;
beforeAll(async () => {
  // LEX_TIMEOUT_MS runs on the stack's 10x clock: 1.5 s real.
  stack = await startStack({ env: { LEX_TIMEOUT_MS: '15000', LEX_MAX_ATTEMPTS: '1' } });
});
afterAll(async () => {
  await stack.close();
});

const v2 = ROUTES.v2;
const v1 = ROUTES.v1;

describe('barge-in', () => {
  it('caller speech during a long reply: clear, no further frames of that reply, and the new utterance reaches Lex complete', async () => {
    const session = 'barge-v2';
    stack.emu.session(session).replyAudio = tone(1000, 8000, 16000); // an 8 s prompt
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session(session).script.push('hello', 'I want roses');
    phone.sendAudio(utterance('hello', 16000, 3));
    await phone.waitForFrames(20);
    const lead = noise(400, 16000, 11);
    const speech = synthesize('I want roses', 16000);
    const sent = pcm(lead, speech, noise(900, 16000, 12));
    phone.sendAudio(sent);
    const reply = await phone.nextReply(); // the answer to the barge-in utterance
    const clears = phone.actions('clear');
    expect(clears).toHaveLength(1);
    const toneFrame = asBytes(tone(1000, 20, 16000));
    const afterClear = phone.frames.slice(clears[0].frameIndex).map((f) => f.data);
    expect(afterClear.some((f) => f.equals(toneFrame))).toBe(false);
    expect(reply.frames.length).toBeGreaterThan(0);
    expect(afterClear.length).toBe(reply.frames.length);
    // The barge-in utterance: complete, from before its onset to its end.
    const rec = stack.emu.session(session).recordings[1];
    const at = sent.indexOf(rec.pcm);
    expect(at).toBeGreaterThanOrEqual(0);
    expect((asBytes(lead).length - at) / 32).toBeGreaterThanOrEqual(200);
    expect(at + rec.pcm.length).toBeGreaterThanOrEqual(asBytes(lead).length + asBytes(speech).length - 640);
    phone.hangUp();
  });

  it('barge_in: false lets the prompt play to the end', async () => {
    const session = 'nobarge';
    stack.emu.session(session).replyAudio = tone(1000, 1000, 16000);
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 16000, headers: demoHeaders({ barge_in: false }) });
    stack.emu.session(session).script.push('hello');
    phone.sendAudio(utterance('hello', 16000, 3));
    await phone.waitForFrames(5);
    phone.sendAudio(utterance('stop talking', 16000, 5));
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBe(50);
    expect(phone.actions('clear')).toHaveLength(0);
    phone.hangUp();
  });
});

describe('Lex faults do not spread', () => {
  it('a call whose Lex never answers does not delay another call, and keeps listening after the timeout', async () => {
    const stuck = 'stuck-call';
    stack.emu.session(stuck).faults.push({ fault: { type: 'hang' }, times: 1 });
    const a = await VonagePhone.connect(stack.wsUrl + v1(stuck), { rateHz: 8000, headers: demoHeaders() });
    a.sendAudio(utterance('order flowers', 8000, 1));
    // Wait until A's request is hanging at the emulator.
    await until(() => stack.emu.core.hung.size > 0);
    const b = await VonagePhone.connect(stack.wsUrl + v1('healthy-call'), { rateHz: 8000, headers: demoHeaders() });
    stack.emu.session('healthy-call').script.push('order flowers');
    b.sendAudio(utterance('order flowers', 8000, 2));
    const replyB = await b.nextReply();
    expect(replyB.frames.length).toBeGreaterThan(0);
    expect(a.frames).toHaveLength(0);
    // A's request times out (LEX_TIMEOUT_MS); the call is still up and its next turn works.
    stack.emu.session(stuck).script.push('order flowers');
    await until(async () => (await errorCount(stack, 'LEX_TIMEOUT')) > 0);
    a.sendAudio(utterance('order flowers', 8000, 4));
    const replyA = await a.nextReply();
    expect(replyA.frames.length).toBeGreaterThan(0);
    a.hangUp();
    b.hangUp();
  });

  it('a slow first byte beyond LEX_TIMEOUT_MS fails the turn with LEX_TIMEOUT; the call keeps listening', async () => {
    const session = 'slow-first-byte';
    stack.emu.session(session).latency = { processingDelayMs: 4000 };
    const before = await errorCount(stack, 'LEX_TIMEOUT');
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 16000, headers: demoHeaders() });
    phone.sendAudio(utterance('order flowers', 16000, 1));
    await until(async () => (await errorCount(stack, 'LEX_TIMEOUT')) > before);
    stack.emu.session(session).latency = { processingDelayMs: 100 }; // slow, but within the timeout
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 16000, 2));
    expect((await phone.nextReply()).frames.length).toBeGreaterThan(0);
    phone.hangUp();
  });

  it.each([
    [{ type: 'throttle' }, 'LEX_THROTTLED'],
    [{ type: 'error', status: 503 }, 'LEX_UNAVAILABLE'],
    [{ type: 'reset' }, 'LEX_UNAVAILABLE'],
  ] as const)('survives %j and answers the next utterance', async (fault, code) => {
    const session = `fault-${code}-${fault.type}`;
    stack.emu.session(session).faults.push({ fault: fault as never, times: 1 });
    const before = await errorCount(stack, code);
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 16000, headers: demoHeaders() });
    phone.sendAudio(utterance('order flowers', 16000, 1));
    await until(async () => (await errorCount(stack, code)) > before);
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 16000, 2));
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBeGreaterThan(0);
    phone.hangUp();
    expect((await phone.closed).code).toBe(1000);
  });
});

describe('DTMF on the utterance routes', () => {
  it.each(['v1', 'v2'] as const)('%s: digits ended by # reach Lex as text and get a spoken reply; an idle timeout also ends an entry', async (route) => {
    const session = `dtmf-${route}`;
    const phone = await VonagePhone.connect(stack.wsUrl + (route === 'v1' ? v1(session) : v2(session)), { rateHz: 8000, headers: demoHeaders() });
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 8000, 1));
    await phone.nextReply();
    phone.sendDtmf('1');
    phone.sendDtmf('#');
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBeGreaterThan(0);
    phone.sendDtmf('4');
    phone.sendDtmf('2'); // no '#': the DTMF_TIMEOUT_MS idle timer ends the entry
    await phone.nextReply();
    const texts = stack.emu
      .session(session)
      .events.filter((e) => e.type === 'text')
      .map((e) => e.detail?.text);
    expect(texts).toEqual(['1', '42']);
    expect(stack.emu.session(session).dialog.intent?.slots.FlowerType).toBe('roses');
    phone.hangUp();
  });
});
