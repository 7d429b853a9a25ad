import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { noise, pcm, rms, speech, tone, utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { asBytes } from '../../src/audio/pcm.js';
import { ROUTES } from '../helpers/routes.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const v2 = ROUTES.v2;
const v1 = ROUTES.v1;

describe('audio in: what Lex receives', () => {
  it.each([
    ['v1', 8000],
    ['v2', 16000],
  ] as const)('%s at %i Hz: byte-exact from >= 200 ms before onset to the end of speech, inner 300 ms pause kept', async (route, rateHz) => {
    const session = `fidelity-${route}-${rateHz}`;
    const lead = noise(600, rateHz, 7);
    const a = speech('I would like', rateHz);
    const pause = noise(300, rateHz, 8); // a true 300 ms pause: `speech` has no silent edges
    const b = speech('some flowers', rateHz);
    const sent = pcm(lead, a, pause, b, noise(1000, rateHz, 9));
    const phone = await VonagePhone.connect(stack.wsUrl + (route === 'v1' ? v1(session) : v2(session)), { rateHz, headers: demoHeaders() });
    stack.emu.session(session).script.push('I would like some flowers');
    phone.sendAudio(sent);
    await phone.nextReply();
    const recs = stack.emu.session(session).recordings;
    expect(recs).toHaveLength(1); // the pause did not split the utterance
    const got = recs[0].pcm;
    const at = sent.indexOf(got);
    expect(at).toBeGreaterThanOrEqual(0); // a contiguous, unaltered slice of the caller's audio
    const onset = asBytes(lead).length; // first sample of speech
    const speechEnd = onset + asBytes(a).length + asBytes(pause).length + asBytes(b).length;
    const bytesPerMs = (rateHz * 2) / 1000;
    expect((onset - at) / bytesPerMs).toBeGreaterThanOrEqual(200);
    expect(at + got.length).toBeGreaterThanOrEqual(speechEnd - 20 * bytesPerMs);
    phone.hangUp();
  });
});

describe('24 kHz calls', () => {
  it('are resampled to 16 kHz for Lex and answered in 960-byte frames', async () => {
    const session = 'rate-24k';
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 24000, headers: demoHeaders() });
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 24000));
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBeGreaterThan(25);
    for (const f of reply.frames) expect(f.length).toBe(960);
    const rec = stack.emu.session(session).recordings[0];
    expect(rec.sampleRateHz).toBe(16000);
    // 24 kHz speech resampled to 16 kHz keeps its duration (pre-roll + speech + end silence).
    expect(rec.pcm.length / 32).toBeGreaterThan(synthesize('order flowers', 16000).length / 16);
    phone.hangUp();
  });
});

describe('audio out: what the caller hears', () => {
  it('sends exactly one 20 ms frame per message, lasting the source rounded up to 20 ms, and filters a 5 kHz tone out of an 8 kHz call', async () => {
    const session = 'tone-8k';
    const source = tone(5000, 1010, 16000); // 1.01 s: not a whole number of frames
    stack.emu.session(session).replyAudio = source;
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 8000, headers: demoHeaders() });
    phone.sendAudio(utterance('hello there', 8000));
    const reply = await phone.nextReply();
    for (const f of reply.frames) expect(f.length).toBe(320);
    expect(reply.frames.length).toBe(Math.ceil(1010 / 20));
    const attenuationDb = 20 * Math.log10(rms(asBytes(source)) / Math.max(1, rms(reply.pcm)));
    expect(attenuationDb).toBeGreaterThanOrEqual(40);
    phone.hangUp();
  });

  it('passes a 1 kHz tone through an 8 kHz call at full level (the filter is not just muting)', async () => {
    const session = 'tone-1k';
    const source = tone(1000, 1000, 16000);
    stack.emu.session(session).replyAudio = source;
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 8000, headers: demoHeaders() });
    phone.sendAudio(utterance('hello there', 8000));
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBe(50);
    const ratioDb = 20 * Math.log10(rms(reply.pcm) / rms(asBytes(source)));
    expect(Math.abs(ratioDb)).toBeLessThan(1);
    phone.hangUp();
  });
});
