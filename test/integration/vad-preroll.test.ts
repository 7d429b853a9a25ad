import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { speech } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { addInto, dbfsToRms, toPcm16, whiteNoise } from '../../src/audio/noise.js';
import { asBytes } from '../../src/audio/pcm.js';
import { mulawDecode, mulawEncode } from '../../src/audio/mulaw.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

/**
 * A call that opens with background noise (about -46 dBFS white noise), a short click
 * at 40 ms that a VAD takes for the start of speech, and the first word at 600 ms; then
 * 1.2 s of noise. Returns the PCM and the sample position of the first word.
 */
function noisyFirstTurn(rateHz: number): { pcm: Int16Array; onset: number } {
  const words = speech('I would like some flowers', rateHz);
  const onset = Math.round(0.6 * rateHz);
  const total = onset + words.length + Math.round(1.2 * rateHz);
  const x = new Float64Array(total);
  addInto(x, whiteNoise(total, 11), dbfsToRms(-46));
  addInto(x, whiteNoise(Math.round(0.06 * rateHz), 12), dbfsToRms(-20), Math.round(0.04 * rateHz));
  addInto(x, words, 1, onset);
  return { pcm: toPcm16(x), onset };
}

/** Where `got` starts inside `sent` (both PCM16), in samples; -1 when it is not a slice of it. */
function sliceAt(sent: Int16Array, got: Buffer): number {
  const at = asBytes(sent).indexOf(got);
  return at < 0 ? -1 : at / 2;
}

describe('first utterance of a call: pre-roll after a discarded click', () => {
  it.each([8000, 16000])('Vonage %i Hz: Lex receives the audio from >= 200 ms before the first word', async (rateHz) => {
    const session = `preroll-vonage-${rateHz}`;
    const { pcm, onset } = noisyFirstTurn(rateHz);
    stack.emu.session(session).script.push('I would like some flowers');
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz, headers: demoHeaders() });
    phone.sendAudio(pcm);
    await phone.nextReply();
    const recs = stack.emu.session(session).recordings;
    expect(recs).toHaveLength(1);
    const start = sliceAt(pcm, recs[0].pcm);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(((onset - start) / rateHz) * 1000).toBeGreaterThanOrEqual(200);
    phone.hangUp();
  });

  it('Twilio (8 kHz µ-law): Lex receives the audio from >= 200 ms before the first word', async () => {
    const session = 'preroll-twilio';
    const { pcm, onset } = noisyFirstTurn(8000);
    stack.emu.session(session).script.push('I would like some flowers');
    const params = Object.fromEntries(Object.entries(demoHeaders()).map(([k, v]) => [k, String(v)]));
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2(session), { customParameters: params });
    phone.sendAudio(pcm);
    await phone.nextReply();
    const recs = stack.emu.session(session).recordings;
    expect(recs).toHaveLength(1);
    // The connector hears the µ-law round trip of what the phone sent.
    const start = sliceAt(mulawDecode(mulawEncode(pcm)), recs[0].pcm);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(((onset - start) / 8000) * 1000).toBeGreaterThanOrEqual(200);
    phone.hangUp();
  });
});
