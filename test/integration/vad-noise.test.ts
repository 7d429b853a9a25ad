import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { noisyCall, type Background } from '../helpers/noisy-call.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { asBytes } from '../../src/audio/pcm.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const SILENCE_MS = 400; // silence_time default

describe('a turn in background noise, through the connector (sample positions of what Lex receives)', () => {
  it.each([
    [16000, 'white', 20, 60],
    [8000, 'white', 10, 120],
    [16000, 'babble', 20, 120],
  ] as [number, Background, number, number][])('%i Hz, %s noise at %i dB SNR: the whole turn with >= 200 ms pre-roll, ended <= %i ms after silence_time', async (rateHz, bg, snrDb, maxLagMs) => {
    const session = `noise-${rateHz}-${bg}-${snrDb}`;
    const { pcm, turns } = noisyCall(['I would like to order some flowers please'], rateHz, bg, snrDb);
    const [turn] = turns;
    stack.emu.session(session).script.push('I would like to order some flowers');
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz, headers: demoHeaders({ silence_time: SILENCE_MS }) });
    phone.sendAudio(pcm);
    await phone.nextReply();
    const recs = stack.emu.session(session).recordings;
    expect(recs).toHaveLength(1);
    const at = asBytes(pcm).indexOf(recs[0].pcm);
    expect(at).toBeGreaterThanOrEqual(0); // a contiguous slice of the caller's audio
    const start = at / 2;
    const end = start + recs[0].pcm.length / 2; // first sample not sent: where the end was decided
    const ms = (samples: number) => (samples / rateHz) * 1000;
    expect(ms(turn.onset - start)).toBeGreaterThanOrEqual(200);
    expect(end).toBeGreaterThanOrEqual(turn.offset); // nothing of the turn is cut off
    expect(ms(end - turn.offset) - SILENCE_MS).toBeLessThanOrEqual(maxLagMs);
    phone.hangUp();
  });
});
