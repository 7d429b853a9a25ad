import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { tone, utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, startStack, until, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

/** The `turn` records the connector logged for one session's calls. */
function turns(callId: string): Record<string, unknown>[] {
  return stack.logs
    .map((l) => JSON.parse(l) as { msg: string; callId?: string; turn?: Record<string, unknown> })
    .filter((l) => l.msg === 'turn' && l.callId === callId)
    .map((l) => l.turn!);
}

async function histogramCount(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${stack.httpUrl}/metrics`)).text();
  const m = new RegExp(`^${name}_count\\{${labels}\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe.each(['v2', 'conversation'] as const)('both sessions record a completed turn the same way (%s)', (route) => {
  it('one turn record per reply heard, with transcript, bot message, intent, slots, attributes, confidence, dialog state and latency; the same turn metrics', async () => {
    const session = `turn-record-${route}`;
    const before = stack.logs.length;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session(session).script.push('I would like to order some flowers');
    phone.sendAudio(utterance('I would like to order some flowers', 16000));
    await phone.nextReply();
    phone.sendDtmf('X'); // not a DTMF key: ignored by both sessions
    await until(() => stack.logs.slice(before).some((l) => l.includes('"msg":"turn"')));
    const callId = (JSON.parse(stack.logs.slice(before).find((l) => l.includes('"msg":"call started"'))!) as { callId: string }).callId;
    expect(turns(callId)).toEqual([
      {
        input: 'speech',
        transcript: 'I would like to order some flowers',
        botMessage: 'What type of flowers would you like to order? Say roses, tulips or lilies, or press 1, 2 or 3.',
        intentName: 'OrderFlowers',
        intentState: 'InProgress',
        dialogState: 'ElicitSlot',
        slots: { FlowerType: null, PickupDate: null, PickupTime: null },
        sessionAttributes: {},
        confidence: 1,
        interpretations: [{ intentName: 'OrderFlowers', confidence: 1 }, { intentName: 'FallbackIntent' }],
        latencyMs: expect.any(Number),
        outcome: 'played',
        bargeIn: false,
        endsCall: false,
        handoff: false,
      },
    ]);
    phone.hangUp();
    await phone.closed;
    await until(() => stack.logs.slice(before).some((l) => l.includes('"msg":"call ended"')));
    const ended = JSON.parse(stack.logs.slice(before).find((l) => l.includes('"msg":"call ended"'))!) as Record<string, number>;
    expect([ended.turns, ended.dtmf]).toEqual([1, 0]);
    expect(await histogramCount('lexconn_turn_overhead_seconds', `route="${route}"`)).toBeGreaterThan(0);
    expect(await histogramCount('lexconn_lex_request_seconds', `api="${route === 'v2' ? 'v2' : 'v2-stream'}"`)).toBeGreaterThan(0);
  });
});

describe('a barged-in turn', () => {
  it('is recorded as interrupted with bargeIn, the next as played without', async () => {
    const session = 'turn-record-barge';
    const before = stack.logs.length;
    stack.emu.session(session).replyAudio = tone(1000, 8000, 16000); // an 8 s prompt
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session(session).script.push('hello', 'I want roses');
    phone.sendAudio(utterance('hello', 16000, 3));
    await phone.waitForFrames(20);
    phone.sendAudio(utterance('I want roses', 16000, 4));
    await phone.nextReply();
    const callId = (JSON.parse(stack.logs.slice(before).find((l) => l.includes('"msg":"call started"'))!) as { callId: string }).callId;
    await until(() => turns(callId).length === 2);
    expect(turns(callId).map((t) => [t.transcript, t.outcome, t.bargeIn])).toEqual([
      ['hello', 'interrupted', true],
      ['I want roses', 'played', false],
    ]);
    phone.hangUp();
  });
});
