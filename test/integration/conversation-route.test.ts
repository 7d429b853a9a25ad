import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { tone, utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { frameBytes } from '../../src/audio/pcm.js';
import { ROUTES } from '../helpers/routes.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const conv = ROUTES.conversation;

function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

describe.each([8000, 16000])('StartConversation route at %i Hz', (rateHz) => {
  it('greets first, runs OrderFlowers to Fulfilled, and hangs up with 1000 after the closing prompt; every event signature verifies', async () => {
    const session = `conv-dialog-${rateHz}`;
    const phone = await VonagePhone.connect(stack.wsUrl + conv(session), { rateHz, headers: demoHeaders({ welcome_message: 'Welcome to the flower shop. How can I help?' }) });
    const welcome = await phone.nextReply();
    expect(welcome.frames.length).toBeGreaterThan(50);
    const s = stack.emu.session(session);
    const cfg = s.events.find((e) => e.type === 'ConfigurationEvent')!.detail!.body as Record<string, unknown>;
    expect(cfg.responseContentType).toBe(rateHz === 8000 ? 'audio/pcm; sample-rate=8000' : 'audio/pcm');
    const replies = [welcome];
    for (const [i, text] of ['I would like to order some flowers', 'roses', 'tomorrow', 'ten am', 'yes'].entries()) {
      s.script.push(text);
      phone.sendAudio(utterance(text, rateHz, i + 1));
      replies.push(await phone.nextReply());
    }
    const closed = await phone.closed;
    expect(closed.code).toBe(1000);
    expect(s.dialog.intent).toMatchObject({ name: 'OrderFlowers', state: 'Fulfilled' });
    for (const r of replies) for (const f of r.frames) expect(f.length).toBe(frameBytes(rateHz));
    // Nothing was cut: every frame sent belongs to a reply that was reported played.
    expect(phone.frames.length).toBe(replies.reduce((n, r) => n + r.frames.length, 0));
    // PlaybackCompletionEvent for every prompt heard to the end (the closing one too), then DisconnectionEvent.
    await until(() => s.events.filter((e) => e.type === 'DisconnectionEvent').length === 1);
    expect(s.events.filter((e) => e.type === 'PlaybackCompletionEvent')).toHaveLength(replies.length);
    expect(s.recordings.every((r) => r.sampleRateHz === 8000)).toBe(true);
    expect(s.signatures.failed).toBe(0);
    expect(s.signatures.verified).toBeGreaterThan(200);
  });
});

describe('StartConversation route behaviour', () => {
  it('barge-in: Lex interrupts a long prompt -> clear, no further frames of it, and no PlaybackCompletionEvent for it', async () => {
    const session = 'conv-barge';
    stack.emu.session(session).replyAudio = tone(1000, 8000, 16000);
    const phone = await VonagePhone.connect(stack.wsUrl + conv(session), { rateHz: 16000, headers: demoHeaders({ welcome_message: 'This is a very long welcome.' }) });
    await phone.waitForFrames(20);
    stack.emu.session(session).script.push('I want tulips');
    phone.sendAudio(utterance('I want tulips', 16000, 4));
    const reply = await phone.nextReply();
    const clears = phone.actions('clear');
    expect(clears).toHaveLength(1);
    expect(phone.frames.length - clears[0].frameIndex).toBe(reply.frames.length);
    expect(stack.emu.session(session).dialog.intent?.slots.FlowerType).toBe('tulips');
    await until(() => stack.emu.session(session).events.some((e) => e.type === 'PlaybackCompletionEvent'));
    // Only the answer was completed; the interrupted welcome never was.
    expect(stack.emu.session(session).events.filter((e) => e.type === 'PlaybackCompletionEvent')).toHaveLength(1);
    phone.hangUp();
  });

  it('DTMF keys reach Lex as DTMFInputEvents in order, and a DTMF-only turn works', async () => {
    const session = 'conv-dtmf';
    const phone = await VonagePhone.connect(stack.wsUrl + conv(session), { rateHz: 8000, headers: demoHeaders({ initial_intent: 'OrderFlowers' }) });
    const prompt = await phone.nextReply(); // "What type of flowers…" (the bot spoke first)
    expect(prompt.frames.length).toBeGreaterThan(0);
    for (const k of ['2', '#']) phone.sendDtmf(k);
    await phone.nextReply();
    for (const k of ['*', '9', '#']) phone.sendDtmf(k);
    await phone.nextReply();
    const keys = stack.emu
      .session(session)
      .events.filter((e) => e.type === 'DTMFInputEvent')
      .map((e) => e.detail?.inputCharacter);
    expect(keys).toEqual(['2', '#', '*', '9', '#']);
    expect(stack.emu.session(session).dialog.intent?.slots.FlowerType).toBe('tulips');
    phone.hangUp();
  });

  it('session and request attributes go into the ConfigurationEvent', async () => {
    const session = 'conv-attrs';
    const phone = await VonagePhone.connect(stack.wsUrl + conv(session), {
      rateHz: 8000,
      headers: demoHeaders({ welcome_message: 'Hi', lex_session_attributes: { tenant: 't1', callerId: '447700900123' }, lex_request_attributes: '{"channel":"phone"}' }),
    });
    await phone.nextReply();
    const body = stack.emu.session(session).events.find((e) => e.type === 'ConfigurationEvent')!.detail!.body as Record<string, unknown>;
    expect(body.sessionState).toMatchObject({ sessionAttributes: { tenant: 't1', callerId: '447700900123' } });
    expect(body.requestAttributes).toEqual({ channel: 'phone' });
    phone.hangUp();
  });

  it('the emulator drops the stream mid-call: the call reopens on the same session id and the dialog continues; no handles leak', async () => {
    const before = resources();
    const session = 'conv-drop';
    const s = stack.emu.session(session);
    const phone = await VonagePhone.connect(stack.wsUrl + conv(session), { rateHz: 8000, headers: demoHeaders() });
    s.script.push('I would like to order some flowers');
    s.faults.push({ fault: { type: 'dropStream' }, times: 1 });
    phone.sendAudio(utterance('I would like to order some flowers', 8000, 1));
    await until(() => s.streams === 2);
    // The prompt in flight was lost with the stream: the caller answers it anyway.
    for (const [i, text] of ['roses', 'tomorrow', 'noon', 'yes'].entries()) {
      s.script.push(text);
      phone.sendAudio(utterance(text, 8000, i + 5));
      await phone.nextReply();
    }
    expect((await phone.closed).code).toBe(1000);
    expect(s.dialog.intent).toMatchObject({ state: 'Fulfilled', slots: { FlowerType: 'roses', PickupTime: '12:00' } });
    expect(s.streams).toBe(2);
    await until(() => stack.connector.activeCalls() === 0);
    await until(() => {
      const after = resources();
      return (after.Timeout ?? 0) <= (before.Timeout ?? 0) && (after.TCPSocketWrap ?? 0) <= (before.TCPSocketWrap ?? 0);
    });
  });

  it('closes with 4008 when Lex rejects the stream for good', async () => {
    const phone = await VonagePhone.connect(stack.wsUrl + conv('conv-denied'), { rateHz: 8000, headers: demoHeaders({ aws_secret: 'wrong-secret' }) });
    phone.sendAudio(utterance('hello', 8000));
    const closed = await phone.closed;
    expect(closed).toEqual({ code: 4008, reason: 'lex stream failed: LEX_AUTH_FAILED' });
  });

  it('closes with 4008 after the reopen attempts are used up', async () => {
    const session = 'conv-flaky';
    stack.emu.session(session).faults.push({ fault: { type: 'error', status: 500 }, times: -1 });
    const phone = await VonagePhone.connect(stack.wsUrl + conv(session), { rateHz: 8000, headers: demoHeaders() });
    const closed = await phone.closed;
    expect(closed).toEqual({ code: 4008, reason: 'lex stream failed: reopen attempts exhausted' });
    expect(stack.emu.session(session).streams).toBe(0);
  });
});
