import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, errorCount, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { pcm, speech, noise } from '../helpers/audio.js';
import { systemClock } from '../../src/audio/clock.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';

// Issue 10.5: LEX_TIMEOUT_MS counted from the start of the request, which streams while the caller
// speaks, so a long utterance timed out before Lex could answer. It now counts from the end of the utterance.
let stack: Stack;
/** Short for a test, long enough that Lex's 100 ms plus a loaded machine's lateness stay well inside it. */
const LEX_TIMEOUT_MS = 1500;
beforeAll(async () => {
  // Real time on both sides: the request streams for as long as the caller speaks.
  stack = await startStack({ env: { LEX_TIMEOUT_MS: String(LEX_TIMEOUT_MS), LEX_MAX_ATTEMPTS: '1' }, clock: systemClock, emulator: { latency: { processingDelayMs: 100 } } });
});
afterAll(async () => {
  await stack.close();
});

/** Sends PCM as 20 ms frames in real time (a caller speaking), resolving when the last frame is out. */
async function speakInRealTime(phone: VonagePhone, audio: Buffer, rateHz: number): Promise<void> {
  const bytes = (rateHz / 50) * 2;
  const start = performance.now();
  for (let i = 0, off = 0; off < audio.length; i++, off += bytes) {
    phone.sendRaw(audio.subarray(off, off + bytes), true);
    const due = start + (i + 1) * 20;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

describe('Lex timeout counts from the end of the utterance', () => {
  it('an utterance longer than LEX_TIMEOUT_MS still gets its answer', { timeout: 30_000 }, async () => {
    const session = 'long-utterance';
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 8000, headers: demoHeaders({ clip_max: 15000 }) });
    stack.emu.session(session).script.push('order flowers');
    // Speech three times as long as the Lex timeout (checked, so the test cannot quietly stop
    // testing anything), then 100 ms of Lex time.
    const sentence = 'I would like some flowers';
    let text = sentence;
    while (speech(text, 8000).length < (3 * LEX_TIMEOUT_MS * 8000) / 1000) text += ` ${sentence}`;
    const words = speech(text, 8000);
    expect(words.length / 8).toBeGreaterThan(3 * LEX_TIMEOUT_MS);
    expect(words.length / 8000).toBeGreaterThan(1.5);
    await speakInRealTime(phone, pcm(noise(200, 8000), words, noise(800, 8000)), 8000);
    // The answer's first frames are enough (its whole playback would take seconds of real time).
    await until(async () => (await errorCount(stack, 'LEX_TIMEOUT')) > 0 || phone.frames.length > 10);
    expect(await errorCount(stack, 'LEX_TIMEOUT')).toBe(0);
    expect(phone.frames.length).toBeGreaterThan(10);
    expect(stack.emu.session(session).recordings[0].pcm.length).toBeGreaterThan(words.length * 2);
    phone.hangUp();
  });

  it('Lex silent for longer than LEX_TIMEOUT_MS after the utterance ends is a LEX_TIMEOUT, and the call goes on', { timeout: 30_000 }, async () => {
    const session = 'slow-lex';
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 8000, headers: demoHeaders() });
    stack.emu.session(session).latency = { processingDelayMs: 4000 };
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(pcm(noise(200, 8000), speech('order flowers', 8000), noise(800, 8000)));
    await until(async () => (await errorCount(stack, 'LEX_TIMEOUT')) > 0);
    stack.emu.session(session).latency = { processingDelayMs: 0 };
    stack.emu.session(session).script.push('roses');
    phone.sendAudio(pcm(noise(200, 8000), speech('roses', 8000), noise(800, 8000)));
    expect((await phone.nextReply()).frames.length).toBeGreaterThan(10);
    phone.hangUp();
  });
});
