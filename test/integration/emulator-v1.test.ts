import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { PostContentCommand, PostTextCommand } from '@aws-sdk/client-lex-runtime-service';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { asBytes } from '../../src/audio/pcm.js';
import { demoCredentials, v1Client } from '../helpers/lex-clients.js';

const TODAY = () => new Date('2026-11-22T12:00:00Z');
let emu: Emulator;

beforeAll(async () => {
  emu = await createEmulator({ today: TODAY });
});
afterAll(async () => {
  await emu.close();
});

function content(user: string, body: Buffer, contentType: string, accept = 'audio/pcm') {
  const stream = new PassThrough();
  stream.end(body);
  return new PostContentCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: user, contentType, accept, inputStream: stream });
}

describe('Lex V1 emulator (real @aws-sdk/client-lex-runtime-service)', () => {
  it('runs the OrderFlowers text dialog to Fulfilled with PostText', async () => {
    const lex = v1Client(emu.url);
    const say = (t: string) => lex.send(new PostTextCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: 'v1-text', inputText: t }));
    expect((await say('hello')).dialogState).toBe('ElicitIntent');
    const r1 = await say('I would like to order some flowers');
    expect(r1).toMatchObject({ dialogState: 'ElicitSlot', slotToElicit: 'FlowerType', intentName: 'OrderFlowers' });
    expect((await say('tulips')).slotToElicit).toBe('PickupDate');
    expect((await say('tomorrow')).slotToElicit).toBe('PickupTime');
    const r4 = await say('at 3 pm');
    expect(r4.dialogState).toBe('ConfirmIntent');
    expect(r4.slots).toEqual({ FlowerType: 'tulips', PickupDate: '2026-11-23', PickupTime: '15:00' });
    const r5 = await say('yes');
    expect(r5.dialogState).toBe('Fulfilled');
    expect(r5.message).toContain('tulips');
    expect(r5.sessionAttributes).toEqual({ 'nexmo-close': 'true' });
    lex.destroy();
  });

  it('records a PostContent audio turn byte for byte and answers 16 kHz PCM', async () => {
    const lex = v1Client(emu.url);
    const pcm = asBytes(synthesize('I want to order flowers', 16000));
    emu.session('v1-audio').script.push('I want to order flowers');
    const r = await lex.send(content('v1-audio', pcm, 'audio/l16; rate=16000; channels=1'));
    expect(r.dialogState).toBe('ElicitSlot');
    expect(r.inputTranscript ?? r.encodedInputTranscript).toBeDefined();
    expect(Buffer.from(r.encodedInputTranscript!, 'base64').toString()).toBe('I want to order flowers');
    expect(Buffer.from(r.encodedMessage!, 'base64').toString()).toMatch(/What type of flowers/);
    expect(r.contentType).toBe('audio/pcm');
    const audio = await r.audioStream!.transformToByteArray();
    expect(audio.length).toBeGreaterThan(16000);
    expect(audio.length % 2).toBe(0);
    const rec = emu.session('v1-audio').recordings.at(-1)!;
    expect(rec.sampleRateHz).toBe(16000);
    expect(rec.pcm.equals(pcm)).toBe(true);
    lex.destroy();
  });

  it('takes 8 kHz LPCM and text/plain content, and refuses the short lpcm form with 415', async () => {
    const lex = v1Client(emu.url);
    const pcm = asBytes(synthesize('roses', 8000));
    emu.session('v1-8k').script.push('order flowers');
    const r = await lex.send(content('v1-8k', pcm, 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false'));
    expect(r.slotToElicit).toBe('FlowerType');
    expect(emu.session('v1-8k').recordings[0].sampleRateHz).toBe(8000);
    const t = await lex.send(content('v1-8k', Buffer.from('roses'), 'text/plain; charset=utf-8', 'text/plain; charset=utf-8'));
    expect(t.slotToElicit).toBe('PickupDate');
    await expect(lex.send(content('v1-8k', pcm, 'audio/lpcm; sample-rate=8000'))).rejects.toMatchObject({ name: 'UnsupportedMediaTypeException' });
    lex.destroy();
  });

  it('rejects a wrong secret as AWS does (InvalidSignatureException, 403) and an unknown key (UnrecognizedClientException)', async () => {
    const wrong = v1Client(emu.url, { ...demoCredentials, secretAccessKey: 'not-the-secret' });
    await expect(wrong.send(new PostTextCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: 'v1-auth', inputText: 'hi' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    const unknown = v1Client(emu.url, { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' });
    await expect(unknown.send(new PostTextCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: 'v1-auth', inputText: 'hi' }))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    wrong.destroy();
    unknown.destroy();
  });

  it('answers an unknown bot with NotFoundException', async () => {
    const lex = v1Client(emu.url);
    await expect(lex.send(new PostTextCommand({ botName: 'NoSuchBot', botAlias: '$LATEST', userId: 'v1-nf', inputText: 'hi' }))).rejects.toMatchObject({
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
    lex.destroy();
  });

  it.each([
    [{ type: 'throttle' }, 'LimitExceededException', 429],
    [{ type: 'error', status: 500 }, 'InternalFailureException', 500],
    [{ type: 'error', status: 502 }, 'BadGatewayException', 502],
    [{ type: 'error', status: 503 }, 'ServiceUnavailableException', 503],
    [{ type: 'accessDenied' }, 'AccessDeniedException', 403],
  ] as const)('presents fault %j as %s', async (fault, name, status) => {
    const lex = v1Client(emu.url);
    const user = `v1-fault-${name}`;
    emu.session(user).faults.push({ fault: fault as never, times: 1 });
    await expect(lex.send(new PostTextCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: user, inputText: 'hi' }))).rejects.toMatchObject({
      name,
      $metadata: { httpStatusCode: status },
    });
    // Used up: the next request succeeds.
    expect((await lex.send(new PostTextCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: user, inputText: 'hi' }))).dialogState).toBe('ElicitIntent');
    lex.destroy();
  });

  it('resets the connection half-way through an audio body', async () => {
    const lex = v1Client(emu.url);
    emu.session('v1-reset').faults.push({ fault: { type: 'reset' }, times: 1 });
    const r = await lex.send(content('v1-reset', Buffer.alloc(3200), 'audio/l16; rate=16000; channels=1'));
    await expect(r.audioStream!.transformToByteArray()).rejects.toThrow();
    lex.destroy();
  });

  it('never answers under the hang fault (the SDK request timeout fires)', async () => {
    const lex = v1Client(emu.url, demoCredentials, 300);
    emu.session('v1-hang').faults.push({ fault: { type: 'hang' }, times: 1 });
    await expect(lex.send(new PostTextCommand({ botName: 'OrderFlowers', botAlias: '$LATEST', userId: 'v1-hang', inputText: 'hi' }))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    lex.destroy();
  });

  it('streams a slow body completely', async () => {
    const lex = v1Client(emu.url);
    emu.session('v1-slow').latency = { chunkDelayMs: 2 };
    const r = await lex.send(content('v1-slow', Buffer.from('order flowers'), 'text/plain; charset=utf-8'));
    const audio = await r.audioStream!.transformToByteArray();
    expect(audio.length).toBeGreaterThan(3200 * 3);
    lex.destroy();
  });
});
