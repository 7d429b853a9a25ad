import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { RecognizeTextCommand, RecognizeUtteranceCommand } from '@aws-sdk/client-lex-runtime-v2';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { asBytes } from '../../src/audio/pcm.js';
import { demoCredentials, v2Client } from '../helpers/lex-clients.js';

const BOT = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US' };
const LPCM8K = 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false';
let emu: Emulator;

beforeAll(async () => {
  emu = await createEmulator({ today: () => new Date('2026-11-22T12:00:00Z') });
});
afterAll(async () => {
  await emu.close();
});

const unzip = (h: string | undefined) => JSON.parse(gunzipSync(Buffer.from(h!, 'base64')).toString());

function utterance(sessionId: string, body: Buffer, requestContentType: string, responseContentType = 'audio/pcm') {
  const stream = new PassThrough();
  stream.end(body);
  return new RecognizeUtteranceCommand({ ...BOT, sessionId, requestContentType, responseContentType, inputStream: stream });
}

describe('Lex V2 emulator (real @aws-sdk/client-lex-runtime-v2 over h2c)', () => {
  it('runs the OrderFlowers text dialog to Fulfilled with RecognizeText', async () => {
    const lex = v2Client(emu.url);
    const say = (text: string) => lex.send(new RecognizeTextCommand({ ...BOT, sessionId: 'v2-text', text }));
    const r1 = await say('I want to order flowers');
    expect(r1.sessionState?.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'FlowerType' });
    await say('lilies');
    await say('friday');
    const r4 = await say('noon');
    expect(r4.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
    expect(r4.sessionState?.intent?.slots?.PickupDate?.value?.interpretedValue).toBe('2026-11-27');
    const r5 = await say('yes please');
    expect(r5.sessionState?.dialogAction?.type).toBe('Close');
    expect(r5.sessionState?.intent?.state).toBe('Fulfilled');
    expect(r5.messages?.[0].content).toContain('lilies');
    expect(r5.interpretations?.[0].intent?.name).toBe('OrderFlowers');
    lex.destroy();
  });

  it('ends with intent state Failed when the caller declines', async () => {
    const lex = v2Client(emu.url);
    const say = (text: string) => lex.send(new RecognizeTextCommand({ ...BOT, sessionId: 'v2-deny', text }));
    for (const t of ['I want roses', 'today', '9 am']) await say(t);
    const r = await say('no');
    expect(r.sessionState?.dialogAction?.type).toBe('Close');
    expect(r.sessionState?.intent?.state).toBe('Failed');
  });

  it('records a RecognizeUtterance audio turn byte for byte; gzip+base64 headers; 16 kHz and 8 kHz replies', async () => {
    const lex = v2Client(emu.url);
    const pcm = asBytes(synthesize('I would like to order some flowers', 8000));
    emu.session('v2-audio').script.push('I would like to order some flowers', 'roses');
    const r = await lex.send(utterance('v2-audio', pcm, LPCM8K));
    expect(r.inputMode).toBe('Speech');
    expect(unzip(r.sessionState).dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'FlowerType' });
    expect(unzip(r.messages)[0].content).toMatch(/What type of flowers/);
    expect(unzip(r.inputTranscript)).toBe('I would like to order some flowers');
    const audio16 = await r.audioStream!.transformToByteArray();
    expect(emu.session('v2-audio').recordings[0].pcm.equals(pcm)).toBe(true);
    const r2 = await lex.send(utterance('v2-audio', pcm, LPCM8K, 'audio/pcm; sample-rate=8000'));
    const audio8 = await r2.audioStream!.transformToByteArray();
    expect(unzip(r2.sessionState).dialogAction.slotToElicit).toBe('PickupDate');
    // Same speech length at half the rate (the prompt differs, so compare per-prompt rates via duration).
    expect(audio16.length / 32000).toBeGreaterThan(1);
    expect(audio8.length / 16000).toBeGreaterThan(1);
    lex.destroy();
  });

  it('works over HTTP/1.1 too (NodeHttpHandler), and text/plain input', async () => {
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const lex = v2Client(emu.url, demoCredentials, { requestHandler: new NodeHttpHandler() });
    const r = await lex.send(utterance('v2-h1', Buffer.from('talk to an agent'), 'text/plain; charset=utf-8'));
    expect(unzip(r.sessionState).intent.name).toBe('Agent');
    expect(r.inputMode).toBe('Text');
    lex.destroy();
  });

  it('echo mode plays the caller back', async () => {
    const lex = v2Client(emu.url);
    const pcm = asBytes(synthesize('hello hello', 16000));
    emu.session('v2-echo').echo = true;
    const r = await lex.send(utterance('v2-echo', pcm, 'audio/l16; rate=16000; channels=1'));
    const audio = Buffer.from(await r.audioStream!.transformToByteArray());
    expect(audio.equals(pcm)).toBe(true);
    lex.destroy();
  });

  it('rejects a wrong secret with InvalidSignatureException over HTTP/2', async () => {
    const lex = v2Client(emu.url, { ...demoCredentials, secretAccessKey: 'nope' });
    await expect(lex.send(new RecognizeTextCommand({ ...BOT, sessionId: 'v2-auth', text: 'hi' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    lex.destroy();
  });

  it.each([
    [{ type: 'throttle' }, 'ThrottlingException', 429],
    [{ type: 'error', status: 500 }, 'InternalServerException', 500],
    [{ type: 'error', status: 502 }, 'BadGatewayException', 502],
    [{ type: 'error', status: 503 }, 'ServiceUnavailableException', 503],
    [{ type: 'accessDenied' }, 'AccessDeniedException', 403],
  ] as const)('presents fault %j as %s', async (fault, name, status) => {
    const lex = v2Client(emu.url);
    const sessionId = `v2-fault-${status}`;
    emu.session(sessionId).faults.push({ fault: fault as never, times: 1 });
    await expect(lex.send(new RecognizeTextCommand({ ...BOT, sessionId, text: 'hi' }))).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
    lex.destroy();
  });

  it('resets mid-body and hangs when told to', async () => {
    const lex = v2Client(emu.url, demoCredentials, { requestHandler: new NodeHttp2Handler({ requestTimeout: 300 }) });
    emu.session('v2-reset').faults.push({ fault: { type: 'reset' }, times: 1 });
    await expect(
      (async () => {
        const r = await lex.send(utterance('v2-reset', Buffer.from('order flowers'), 'text/plain; charset=utf-8'));
        await r.audioStream!.transformToByteArray();
      })(),
    ).rejects.toThrow();
    emu.session('v2-hang').faults.push({ fault: { type: 'hang' }, times: 1 });
    await expect(lex.send(new RecognizeTextCommand({ ...BOT, sessionId: 'v2-hang', text: 'hi' }))).rejects.toThrow();
    lex.destroy();
  });
});
