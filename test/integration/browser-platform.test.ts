import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { SCRIPT_UNAVAILABLE } from '../../src/transports/browser/protocol.js';
import { utterance } from '../helpers/audio.js';
import { closeOf, openWs } from '../helpers/raw-ws.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack, until } from '../helpers/stack.js';

/** The live events a simulated browser received (text messages with a `type`). */
function events(phone: VonagePhone): Record<string, unknown>[] {
  return phone.controls.map((c) => c.msg).filter((m) => typeof m.type === 'string');
}

/** A browser call: the Vonage opening with `"events": true`, as the page sends it. */
function browserCall(stack: Stack, path: string, extra: Record<string, unknown> = {}): Promise<VonagePhone> {
  return VonagePhone.connect(stack.wsUrl + path, { rateHz: 16000, headers: demoHeaders({ events: true, ...extra }) });
}

describe('browser platform with the embedded emulator', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ embedded: true });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each(['v1', 'v2', 'conversation'] as const)('%s: the opening script is what the emulator recognises; live events carry the turn, in order, with the call id', async (route) => {
    const session = `browser-${route}`;
    const phone = await browserCall(stack, ROUTES[route](session), { script: ['I would like to order some flowers'] });
    phone.sendAudio(utterance('I would like to order some flowers', 16000));
    const reply = await phone.nextReply();
    expect(reply.pcm.length).toBeGreaterThan(16000);
    await until(() => events(phone).some((e) => e.type === 'turn'));
    const evs = events(phone);
    expect(evs.map((e) => e.type).slice(0, 3)).toEqual(['script.accepted', 'call.started', 'turn']);
    expect(evs[0]).toEqual({ type: 'script.accepted', transcripts: 1 });
    expect(evs[1]).toMatchObject({ type: 'call.started', platform: 'browser', route, rateHz: 16000, seq: 1 });
    expect(evs[2]).toMatchObject({
      type: 'turn',
      seq: 2,
      turn: { input: 'speech', transcript: 'I would like to order some flowers', intentName: 'OrderFlowers', dialogState: 'ElicitSlot', outcome: 'played' },
    });
    expect(evs[2].callId).toBe(evs[1].callId);
    expect(typeof (evs[2].turn as { latencyMs?: unknown }).latencyMs).toBe('number');
    expect(stack.emu.session(session).recordings.at(-1)?.transcript).toBe('I would like to order some flowers');
    // Events never carry the call's credentials.
    expect(JSON.stringify(evs)).not.toContain(demoHeaders().aws_secret as string);
    expect(JSON.stringify(evs)).not.toContain(demoHeaders().aws_key as string);
    phone.hangUp();
    await phone.closed;
  });

  it.each(['v1', 'v2', 'conversation'] as const)('%s: the turn that ends the call reaches the page before the socket closes (regression: it was recorded after the close)', async (route) => {
    const lines = ['I would like to order some flowers', 'roses', 'tomorrow', '10 am', 'yes'];
    const phone = await browserCall(stack, ROUTES[route](`browser-last-${route}`), { script: lines, hangup_on_close: true });
    for (const line of lines) {
      phone.sendAudio(utterance(line, 16000));
      await phone.nextReply();
    }
    expect(await phone.closed).toEqual({ code: 1000, reason: 'dialog ended' });
    const turns = events(phone).filter((e) => e.type === 'turn');
    expect(turns.map((t) => (t.turn as { transcript?: string }).transcript)).toEqual(lines);
    expect(turns.at(-1)).toMatchObject({ turn: { intentName: 'OrderFlowers', dialogState: route === 'v1' ? 'Fulfilled' : 'Close', outcome: 'played', endsCall: true } });
  });

  it('a script message during the call queues the next utterance; a bad one is refused and the call goes on', async () => {
    const session = 'browser-script-later';
    const phone = await browserCall(stack, ROUTES.v2(session));
    phone.sendRaw(JSON.stringify({ event: 'script', transcripts: [] }));
    phone.sendRaw(JSON.stringify({ event: 'script', transcripts: ['I want roses'] }));
    await until(() => events(phone).some((e) => e.type === 'script.accepted'));
    expect(events(phone).filter((e) => String(e.type).startsWith('script'))).toEqual([
      { type: 'script.refused', reason: 'transcripts must be an array of 1 to 10 strings' },
      { type: 'script.accepted', transcripts: 1 },
    ]);
    phone.sendAudio(utterance('I want roses', 16000));
    await phone.nextReply();
    expect(stack.emu.session(session).dialog.intent?.slots?.FlowerType).toBeTruthy();
    phone.hangUp();
  });

  it('a bad script in the opening message closes with 4002 naming the field, and scripts nothing', async () => {
    const ws = await openWs(stack.wsUrl + ROUTES.v2('browser-bad-script'));
    const closed = closeOf(ws);
    ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', events: true, ...demoHeaders(), script: 'roses' }));
    expect(await closed).toEqual({ code: 4002, reason: 'invalid configuration: script must be an array of 1 to 10 strings' });
  });

  it('a call refused for its settings leaves the emulator unscripted', async () => {
    const ws = await openWs(stack.wsUrl + ROUTES.v2('browser-bad-key'));
    const closed = closeOf(ws);
    ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', events: true, aws_key: 'short', aws_secret: 'x', script: ['roses'] }));
    expect((await closed).code).toBe(4002);
    expect(stack.emu.session('browser-bad-key').script).toEqual([]);
  });

  it('a Vonage call (no "events") gets no live events', async () => {
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('vonage-no-events'), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session('vonage-no-events').script.push('I would like to order some flowers');
    phone.sendAudio(utterance('I would like to order some flowers', 16000));
    await phone.nextReply();
    phone.hangUp();
    await phone.closed;
    expect(events(phone)).toEqual([]);
    expect(phone.controls.every((c) => c.msg.action === 'notify' || c.msg.action === 'clear')).toBe(true);
  });
});

describe('browser platform with another Lex back-end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses to script recognition, says why, and the call goes on', async () => {
    const session = 'browser-no-emulator';
    const phone = await browserCall(stack, ROUTES.v2(session), { script: ['roses'] });
    phone.sendRaw(JSON.stringify({ event: 'script', transcripts: ['roses'] }));
    await until(() => events(phone).filter((e) => e.type === 'script.refused').length === 2);
    expect(events(phone).filter((e) => e.type === 'script.refused')).toEqual([
      { type: 'script.refused', reason: SCRIPT_UNAVAILABLE },
      { type: 'script.refused', reason: SCRIPT_UNAVAILABLE },
    ]);
    expect(stack.emu.session(session).script).toEqual([]);
    phone.sendDtmf('1');
    phone.sendDtmf('#');
    await phone.nextReply();
    phone.hangUp();
  });
});
