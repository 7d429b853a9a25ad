import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { tone, utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { openWs, closeOf } from '../helpers/raw-ws.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const params = (extra: Record<string, string> = {}) => Object.fromEntries(Object.entries(demoHeaders(extra)).map(([k, v]) => [k, String(v)]));

describe.each(['v1', 'v2', 'conversation'] as const)('Twilio Media Streams on the %s route', (route) => {
  it('runs OrderFlowers to Fulfilled (µ-law both ways, marks) and closes with 1000', async () => {
    const session = `tw-${route}`;
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES[route](session), { customParameters: params({ hangup_on_close: 'true' }) });
    const s = stack.emu.session(session);
    const replies = [];
    for (const [i, text] of ['I would like to order some flowers', 'roses', 'tomorrow', 'ten am', 'yes'].entries()) {
      s.script.push(text);
      phone.sendAudio(utterance(text, 8000, i + 1));
      replies.push(await phone.nextReply());
    }
    expect((await phone.closed).code).toBe(1000);
    expect(s.dialog.intent).toMatchObject({ name: 'OrderFlowers', state: 'Fulfilled' });
    for (const r of replies) {
      expect(r.frames.length).toBeGreaterThan(25);
      for (const f of r.frames) expect(f.length).toBe(320); // 160 µ-law bytes per media message
    }
    // Every outbound message carried the stream's streamSid.
    expect(phone.controls.every((c) => c.msg.streamSid === phone.streamSid)).toBe(true);
    expect(s.recordings.every((r) => r.sampleRateHz === 8000)).toBe(true);
  });

  it('DTMF reaches Lex', async () => {
    const session = `tw-dtmf-${route}`;
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES[route](session), { customParameters: params() });
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 8000));
    await phone.nextReply();
    phone.sendDtmf('3');
    phone.sendDtmf('#');
    await phone.nextReply();
    expect(stack.emu.session(session).dialog.intent?.slots.FlowerType).toBe('lilies');
    phone.stop();
    expect((await phone.closed).code).toBe(1000);
  });
});

describe('Twilio barge-in', () => {
  it('utterance route: clear is sent and no more media of that prompt follows', async () => {
    const session = 'tw-barge-v2';
    stack.emu.session(session).replyAudio = tone(700, 8000, 16000);
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2(session), { customParameters: params() });
    stack.emu.session(session).script.push('hello', 'I want roses');
    phone.sendAudio(utterance('hello', 8000, 1));
    await phone.waitForFrames(20);
    phone.sendAudio(utterance('I want roses', 8000, 2));
    const reply = await phone.nextReply();
    const clears = phone.events('clear');
    expect(clears).toHaveLength(1);
    expect(phone.frames.length - clears[0].frameIndex).toBe(reply.frames.length);
    phone.hangUp();
  });

  it('conversation route: marks returned by clear are not reported to Lex as completed playback', async () => {
    const session = 'tw-barge-conv';
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.conversation(session), {
      customParameters: params({ welcome_message: 'Welcome to the flower shop, what would you like today?' }),
      markDelayMs: 60_000, // the welcome is "still playing" at Twilio when the caller speaks
    });
    await until(() => phone.events('mark').length === 1);
    stack.emu.session(session).script.push('I want lilies');
    phone.sendAudio(utterance('I want lilies', 8000, 3));
    await until(() => phone.clearedMarks.length === 1);
    expect(phone.events('clear')).toHaveLength(1);
    await until(() => stack.emu.session(session).dialog.intent?.slots.FlowerType === 'lilies');
    await until(() => phone.events('mark').length === 2); // the answer's mark (held by the phone)
    expect(stack.emu.session(session).events.filter((e) => e.type === 'PlaybackCompletionEvent')).toHaveLength(0);
    phone.hangUp();
  });
});

describe('Twilio malformed input gets documented close codes; other calls are unaffected', () => {
  const path = ROUTES.v2('tw-bad');
  const start = (streamSid = 'MZ1') =>
    JSON.stringify({
      event: 'start',
      sequenceNumber: '1',
      streamSid,
      start: { streamSid, callSid: 'CA1', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }, customParameters: params() },
    });

  it.each([
    ['bad JSON after start', [start(), '{nope'], 4000, 'malformed message'],
    [
      'media before start',
      [JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }), JSON.stringify({ event: 'media', sequenceNumber: '2', streamSid: 'MZ1', media: { payload: '' } })],
      4007,
      'protocol error: media before start',
    ],
    ['a wrong streamSid', [start(), JSON.stringify({ event: 'media', sequenceNumber: '2', streamSid: 'MZ2', media: { payload: 'AAAA' } })], 4007, 'protocol error: wrong streamSid'],
    ['invalid base64', [start(), JSON.stringify({ event: 'media', sequenceNumber: '2', streamSid: 'MZ1', media: { payload: '!!!' } })], 4007, 'protocol error: invalid media payload'],
    ['a missing aws_secret in customParameters', [start().replace('"aws_secret"', '"aws_secretx"')], 4002, 'aws_secret is required'],
    ['a non-µ-law media format', [start().replace('audio/x-mulaw', 'audio/x-alaw')], 4002, 'mediaFormat'],
  ])('%s', async (_n, messages, code, reason) => {
    const ws = await openWs(stack.wsUrl + path);
    const closed = closeOf(ws);
    for (const m of messages) ws.send(m);
    const c = await closed;
    expect(c.code).toBe(code);
    expect(c.reason).toContain(reason);
  });

  it('a healthy Twilio call still works', async () => {
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2('tw-after-bad'), { customParameters: params() });
    stack.emu.session('tw-after-bad').script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 8000));
    expect((await phone.nextReply()).frames.length).toBeGreaterThan(0);
    phone.hangUp();
  });
});
