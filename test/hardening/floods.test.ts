import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { ROUTES } from '../helpers/routes.js';
import { utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';

// Issue 10.2 and 10.4: one caller flooding DTMF (or any control message) grew the heap without bound on
// /conversation and made every `#` a signed Lex request on /utterance, starving the other calls.
// Every per-call rate now has a bound; exceeding it closes that call with 4009 and is counted.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function limitCount(limit: string): Promise<number> {
  const text = await (await fetch(stack.httpUrl + '/metrics')).text();
  const m = new RegExp(`lexconn_limit_exceeded_total\\{limit="${limit}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

/** A call that completes one turn while another call floods; returns the reply it heard. */
async function victimTurn(route: 'v2' | 'conversation', session: string) {
  const victim = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), { rateHz: 16000, headers: demoHeaders() });
  stack.emu.session(session).script.push('order flowers');
  return { victim, speak: () => victim.sendAudio(utterance('order flowers', 16000)) };
}

describe('per-call floods are bounded and closed with 4009', () => {
  it.each(['v2', 'conversation'] as const)('a DTMF flood on %s closes the flooding call; another call completes its turn', async (route) => {
    const before = await limitCount('control_messages');
    const { victim, speak } = await victimTurn(route, `victim-dtmf-${route}`);
    const flooder = await VonagePhone.connect(stack.wsUrl + ROUTES[route](`flood-dtmf-${route}`), { rateHz: 16000, headers: demoHeaders() });
    speak();
    const msg = JSON.stringify({ event: 'websocket:dtmf', digit: '1', duration: 100 });
    for (let i = 0; i < 20_000 && flooder.ws.readyState === flooder.ws.OPEN; i++) flooder.sendRaw(msg);
    expect(await flooder.closed).toEqual({ code: 4009, reason: 'rate limit exceeded: control messages' });
    const reply = await victim.nextReply();
    expect(reply.frames.length).toBeGreaterThan(50);
    expect(await limitCount('control_messages')).toBe(before + 1);
    victim.hangUp();
    await victim.closed;
  });

  it('a `1#` flood on /utterance sends a bounded number of Lex requests and closes with 4009', async () => {
    const session = 'flood-hash';
    const { victim, speak } = await victimTurn('v2', 'victim-hash');
    const flooder = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 16000, headers: demoHeaders() });
    speak();
    // Stays under the control-message rate, so the Lex request bound is what stops it.
    for (let i = 0; i < 40 && flooder.ws.readyState === flooder.ws.OPEN; i++) {
      flooder.sendDtmf('1');
      flooder.sendDtmf('#');
    }
    expect(await flooder.closed).toEqual({ code: 4009, reason: 'rate limit exceeded: lex requests' });
    // The default burst is 10 requests: the flood never reached Lex beyond it.
    expect(stack.emu.session(session).events.filter((e) => e.type === 'text').length).toBeLessThanOrEqual(10);
    expect((await victim.nextReply()).frames.length).toBeGreaterThan(50);
    victim.hangUp();
  });

  it('a Twilio mark flood closes with 4009; media messages are audio, not control', async () => {
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2('flood-mark'), { customParameters: demoHeaders() as Record<string, string> });
    // 30 s of audio as fast as possible is not a control flood.
    phone.sendAudio(Buffer.alloc(8000 * 2 * 30));
    await until(() => stack.connector.activeCalls() > 0);
    for (let i = 0; i < 20_000 && phone.ws.readyState === phone.ws.OPEN; i++) phone.ws.send(JSON.stringify({ event: 'mark', streamSid: phone.streamSid, mark: { name: `m${i}` } }));
    expect((await phone.closed).code).toBe(4009);
  });

  it('binary audio far faster than real time beyond the allowance closes with 4009', async () => {
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('flood-audio'), { rateHz: 8000, headers: demoHeaders() });
    const frame = Buffer.alloc(320);
    // 20 minutes of audio in one burst.
    for (let i = 0; i < 60_000 && phone.ws.readyState === phone.ws.OPEN; i++) phone.sendRaw(frame, true);
    expect(await phone.closed).toEqual({ code: 4009, reason: 'rate limit exceeded: audio' });
  });
});
