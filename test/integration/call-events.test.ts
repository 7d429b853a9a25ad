import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallEvent, CallEventSource } from '../../src/call/call-events.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack, until } from '../helpers/stack.js';

/** Every call's events, in the order its sink received them. */
const seen = new Map<string, { source: CallEventSource; events: CallEvent[] }>();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    eventSinks: [
      (source) => {
        const entry = { source, events: [] as CallEvent[] };
        seen.set(source.callId, entry);
        return { emit: (ev) => entry.events.push(ev) };
      },
      // A sink that throws must not disturb the call or the other sinks.
      () => ({
        emit: () => {
          throw new Error('broken sink');
        },
      }),
    ],
  });
});
afterAll(async () => {
  await stack.close();
});

function eventsOf(route: string): CallEvent[][] {
  return [...seen.values()].filter((e) => e.source.route === route).map((e) => e.events);
}

describe('conversation events of a call', () => {
  it.each(['v1', 'v2', 'conversation'] as const)('%s: started, a spoken turn with its transcript and intent, a DTMF turn, ended — in order', async (route) => {
    const session = `events-${route}`;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session(session).script.push('I would like to order some flowers');
    phone.sendAudio(utterance('I would like to order some flowers', 16000));
    await phone.nextReply();
    phone.sendDtmf('1');
    phone.sendDtmf('#');
    await phone.nextReply();
    phone.hangUp();
    await phone.closed;
    await until(() => eventsOf(route).some((evs) => evs.some((e) => e.type === 'call.ended')));
    const events = eventsOf(route).find((evs) => evs.some((e) => e.type === 'call.ended'))!;
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('call.started');
    expect(types.at(-1)).toBe('call.ended');
    const first = events.find((e) => e.type === 'turn');
    expect(first).toMatchObject({ type: 'turn', turn: { input: 'speech', intentName: 'OrderFlowers', transcript: 'I would like to order some flowers', outcome: 'played' } });
    // The per-utterance routes send one entry (`#` ends it); on /conversation every key goes to Lex.
    const digits = events.filter((e) => e.type === 'dtmf').map((e) => (e.type === 'dtmf' ? e.digits : ''));
    expect(digits).toEqual(route === 'conversation' ? ['1', '#'] : ['1']);
    const turns = events.filter((e) => e.type === 'turn');
    expect(turns).toHaveLength(2);
    expect(turns[1]).toMatchObject({ type: 'turn', turn: { input: 'dtmf', outcome: 'played' } });
    expect(events.at(-1)).toMatchObject({ type: 'call.ended', closeCode: 1000, reason: 'dialog ended', turns: 2 });
  });

  it('a Twilio call reports its platform', async () => {
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2('events-twilio'), { customParameters: demoHeaders() as Record<string, string> });
    await until(() => [...seen.values()].some((e) => e.source.platform === 'twilio'));
    const entry = [...seen.values()].find((e) => e.source.platform === 'twilio')!;
    expect(entry.events[0]).toEqual({ type: 'call.started', platform: 'twilio', route: 'v2', rateHz: 8000 });
    expect(entry.source.live).toBeUndefined();
    phone.hangUp();
  });
});
