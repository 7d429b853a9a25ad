import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent, CallEventSource } from '../../src/call/call-events.js';
import type { HeardReply } from '../../src/phones/reply-collector.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack, until } from '../helpers/stack.js';

const seen = new Map<string, CallEvent[]>();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    eventSinks: [
      (source: CallEventSource) => {
        const events: CallEvent[] = [];
        seen.set(source.callId, events);
        return { emit: (e) => events.push(e) };
      },
    ],
  });
});
afterAll(async () => {
  await stack.close();
});

/** The first prompt: the welcome on /conversation, the answer to the caller's first words elsewhere. */
async function firstPrompt(phone: { nextReply(): Promise<HeardReply>; sendAudio(pcm: Buffer): void }, route: keyof typeof ROUTES, session: string, rateHz: number): Promise<HeardReply> {
  if (route !== 'conversation') {
    stack.emu.session(session).script.push('I would like to order some flowers');
    phone.sendAudio(utterance('I would like to order some flowers', rateHz));
  }
  return phone.nextReply();
}

function eventsWith(type: string): CallEvent[][] {
  return [...seen.values()].filter((evs) => evs.some((e) => e.type === type));
}

describe.each(['v1', 'v2', 'conversation'] as const)('a silent caller on the %s route', (route) => {
  it('hears the last prompt again no_input_retries times, each whole, then the call closes with 4011', async () => {
    const session = `silent-${route}`;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), {
      rateHz: 16000,
      headers: demoHeaders({ no_input_ms: 1000, no_input_retries: 2, ...(route === 'conversation' ? { welcome_message: 'Hello. What would you like?' } : {}) }),
    });
    const prompt = await firstPrompt(phone, route, session, 16000);
    const replays = [await phone.nextReply(), await phone.nextReply()];
    expect(await phone.closed).toEqual({ code: 4011, reason: 'no input' });
    for (const r of replays) expect(r.pcm).toEqual(prompt.pcm);
    expect(phone.frames.length).toBe(prompt.frames.length * 3);
  });
});

describe('no input, then a hand-off', () => {
  it('Twilio on /conversation: re-prompted once, then handed off with 4010 and the no-input reason', async () => {
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.conversation('silent-twilio'), {
      customParameters: demoHeaders({ no_input_ms: '1000', no_input_retries: '1', no_input_action: 'handoff', welcome_message: 'Hello. What would you like?', caller_id: '+15550004444' }) as Record<
        string,
        string
      >,
    });
    const welcome = await phone.nextReply();
    const replay = await phone.nextReply();
    expect(replay.frames.length).toBe(welcome.frames.length);
    expect(await phone.closed).toEqual({ code: 4010, reason: 'handed off: no-input' });
    await until(() => eventsWith('handoff').some((evs) => evs.some((e) => e.type === 'call.ended')));
    const events = eventsWith('handoff').find((evs) => evs.some((e) => e.type === 'handoff' && e.context.callerId === '+15550004444'))!;
    expect(events.filter((e) => e.type === 'no_input')).toEqual([
      { type: 'no_input', attempt: 1, action: 'reprompt' },
      { type: 'no_input', attempt: 2, action: 'handoff' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'call.ended', closeCode: 4010, handedOff: true });
  });

  it('a caller who answers the re-prompt carries on: the count starts over and the call is not ended', async () => {
    const session = 'silent-then-talks';
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 8000, headers: demoHeaders({ no_input_ms: 1000, no_input_retries: 1 }) });
    await firstPrompt(phone, 'v2', session, 8000);
    await phone.nextReply(); // the re-prompt
    stack.emu.session(session).script.push('roses');
    phone.sendAudio(utterance('roses', 8000, 2));
    const answer = await phone.nextReply();
    expect(answer.frames.length).toBeGreaterThan(25);
    expect(stack.emu.session(session).dialog.intent?.slots.FlowerType).toBe('roses');
    await phone.nextReply(); // silent again: re-prompted once more (the count started over), then 4011
    expect((await phone.closed).code).toBe(4011);
  });
});
