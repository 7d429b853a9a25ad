import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, type Stack } from '../helpers/stack.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { frameBytes } from '../../src/audio/pcm.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe.each([
  ['v1', 8000],
  ['v1', 16000],
  ['v2', 8000],
  ['v2', 16000],
] as const)('OrderFlowers over Vonage on the %s route at %i Hz', (route, rateHz) => {
  it('completes the dialog to Fulfilled and hangs up with 1000 after the closing prompt', async () => {
    const session = `dialog-${route}-${rateHz}`;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), { rateHz, headers: demoHeaders() });
    const turns = ['I would like to order some flowers', 'roses', 'tomorrow', 'ten am', 'yes'];
    const replies = [];
    for (const [i, text] of turns.entries()) {
      stack.emu.session(session).script.push(text);
      phone.sendAudio(utterance(text, rateHz, i + 1));
      replies.push(await phone.nextReply());
    }
    const closed = await phone.closed;
    expect(closed.code).toBe(1000);
    const s = stack.emu.session(session);
    expect(s.dialog.intent).toMatchObject({ name: 'OrderFlowers', state: 'Fulfilled', slots: { FlowerType: 'roses', PickupDate: '2026-11-23', PickupTime: '10:00' } });
    expect(s.recordings.map((r) => r.sampleRateHz)).toEqual(turns.map(() => rateHz));
    for (const reply of replies) {
      expect(reply.frames.length).toBeGreaterThan(25);
      for (const f of reply.frames) expect(f.length).toBe(frameBytes(rateHz));
    }
    // The hang-up came after the closing prompt's last frame: nothing was cut.
    expect(phone.frames.length).toBe(replies.reduce((n, r) => n + r.frames.length, 0));
  });
});
