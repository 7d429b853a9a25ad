import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartConversationCommand, type StartConversationRequestEventStream, type StartConversationResponseEventStream } from '@aws-sdk/client-lex-runtime-v2';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { asBytes } from '../../src/audio/pcm.js';
import { demoCredentials, EventQueue, v2Client } from '../helpers/lex-clients.js';

const BOT = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US' };
const LPCM8K = 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false';
let emu: Emulator;

beforeAll(async () => {
  emu = await createEmulator({ today: () => new Date('2026-11-22T12:00:00Z'), conversation: { heartbeatMs: 0 } });
});
afterAll(async () => {
  await emu.close();
});

type Ev = StartConversationResponseEventStream;
const kind = (e: Ev) => Object.keys(e).find((k) => k !== '$unknown') as string;

/** Reads events until `stop` says so; collects them. */
async function readUntil(it: AsyncIterator<Ev>, seen: Ev[], stop: (e: Ev) => boolean): Promise<void> {
  for (;;) {
    const r = await it.next();
    if (r.done) throw new Error(`stream ended; saw ${seen.map(kind).join(',')}`);
    seen.push(r.value);
    if (stop(r.value)) return;
  }
}
const isAudioEnd = (e: Ev) => e.AudioResponseEvent !== undefined && !e.AudioResponseEvent.audioChunk?.length;

/** Low-level deterministic noise so every position of the stream is unique. */
function noiseBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i += 2) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b.writeInt16LE(((s >>> 16) % 7) - 3, i);
  }
  return b;
}

function pushAudio(q: EventQueue<StartConversationRequestEventStream>, pcm: Buffer): void {
  for (let o = 0; o < pcm.length; o += 320) q.push({ AudioInputEvent: { contentType: LPCM8K, audioChunk: pcm.subarray(o, o + 320) } });
}

describe('StartConversation emulator (real SDK, HTTP/2 event streams, signed events)', () => {
  it('greets, hears an utterance, is barged in on, and takes a DTMF turn; every event signature verifies', async () => {
    const lex = v2Client(emu.url);
    const sessionId = 'conv-audio';
    emu.session(sessionId).script.push('I want to order flowers');
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({
      ConfigurationEvent: {
        responseContentType: 'audio/pcm; sample-rate=8000',
        welcomeMessages: [{ contentType: 'PlainText', content: 'Welcome to the flower shop' }],
        sessionState: { dialogAction: { type: 'ElicitIntent' } },
      },
    });
    const res = await lex.send(new StartConversationCommand({ ...BOT, sessionId, conversationMode: 'AUDIO', requestEventStream: q }));
    const it = res.responseEventStream![Symbol.asyncIterator]();
    const seen: Ev[] = [];
    await readUntil(it, seen, isAudioEnd);
    expect(seen[0].TextResponseEvent?.messages?.[0].content).toBe('Welcome to the flower shop');
    q.push({ PlaybackCompletionEvent: {} });

    // The caller speaks: the emulator end-points after ~600 ms of silence.
    const speech = asBytes(synthesize('I want to order flowers', 8000));
    const sent = Buffer.concat([noiseBytes(3200, 1), speech, noiseBytes(16000, 2)]);
    pushAudio(q, sent);
    await readUntil(it, seen, isAudioEnd);
    const turn = seen.slice(seen.findIndex((e) => e.TranscriptEvent));
    expect(turn.map(kind).slice(0, 3)).toEqual(['TranscriptEvent', 'IntentResultEvent', 'TextResponseEvent']);
    expect(turn[0].TranscriptEvent?.transcript).toBe('I want to order flowers');
    expect(turn[1].IntentResultEvent?.sessionState?.dialogAction?.slotToElicit).toBe('FlowerType');
    const rec = emu.session(sessionId).recordings[0];
    expect(rec.sampleRateHz).toBe(8000);
    // The recording is an unaltered slice of what was streamed: pre-roll, the whole utterance,
    // and the trailing silence up to the end-pointing decision.
    const at = sent.indexOf(rec.pcm);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(3200);
    expect(at + rec.pcm.length).toBeGreaterThanOrEqual(3200 + speech.length);

    // Barge-in: speech before PlaybackCompletionEvent interrupts the prompt.
    emu.session(sessionId).script.push('roses');
    pushAudio(q, asBytes(synthesize('roses please', 8000)));
    await readUntil(it, seen, (e) => e.PlaybackInterruptionEvent !== undefined);
    expect(seen.at(-1)!.PlaybackInterruptionEvent?.eventReason).toBe('VOICE_START_DETECTED');
    pushAudio(q, Buffer.alloc(16000));
    await readUntil(it, seen, isAudioEnd);
    expect(seen.filter((e) => e.IntentResultEvent).at(-1)!.IntentResultEvent?.sessionState?.dialogAction?.slotToElicit).toBe('PickupDate');

    // DTMF: keys arrive in order; '#' ends the entry.
    q.push({ PlaybackCompletionEvent: {} });
    emu.session(sessionId).script.push('tomorrow');
    pushAudio(q, asBytes(synthesize('tomorrow', 8000)));
    pushAudio(q, Buffer.alloc(16000));
    await readUntil(it, seen, isAudioEnd);
    q.push({ PlaybackCompletionEvent: {} });
    for (const k of ['1', '0', '#']) q.push({ DTMFInputEvent: { inputCharacter: k } });
    await readUntil(it, seen, (e) => e.IntentResultEvent?.inputMode === 'DTMF');
    expect(seen.filter((e) => e.TranscriptEvent).at(-1)!.TranscriptEvent?.transcript).toBe('10');
    const dtmf = emu
      .session(sessionId)
      .events.filter((e) => e.type === 'DTMFInputEvent')
      .map((e) => e.detail?.inputCharacter);
    expect(dtmf).toEqual(['1', '0', '#']);
    q.push({ DisconnectionEvent: {} });
    q.end();
    for (;;) if ((await it.next()).done) break;
    const sig = emu.session(sessionId).signatures;
    expect(sig.failed).toBe(0);
    expect(sig.verified).toBeGreaterThan(200);
    lex.destroy();
  });

  it('runs a TEXT-mode dialog to Fulfilled with an initial intent', async () => {
    const lex = v2Client(emu.url);
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({ ConfigurationEvent: { responseContentType: 'text/plain; charset=utf-8', sessionState: { dialogAction: { type: 'Delegate' }, intent: { name: 'OrderFlowers' } } } });
    const res = await lex.send(new StartConversationCommand({ ...BOT, sessionId: 'conv-text', conversationMode: 'TEXT', requestEventStream: q }));
    const it = res.responseEventStream![Symbol.asyncIterator]();
    const seen: Ev[] = [];
    await readUntil(it, seen, (e) => e.TextResponseEvent !== undefined);
    expect(seen.at(-1)!.TextResponseEvent?.messages?.[0].content).toMatch(/What type of flowers/);
    for (const text of ['roses', 'tomorrow', '5 pm', 'yes']) {
      q.push({ TextInputEvent: { text } });
      await readUntil(it, seen, (e) => e.TextResponseEvent !== undefined);
    }
    const last = seen.filter((e) => e.IntentResultEvent).at(-1)!.IntentResultEvent!;
    expect(last.sessionState?.dialogAction?.type).toBe('Close');
    expect(last.sessionState?.intent?.state).toBe('Fulfilled');
    q.end();
    lex.destroy();
  });

  it('fails the stream when an event is signed with the wrong secret', async () => {
    const lex = v2Client(emu.url, { ...demoCredentials, secretAccessKey: 'wrong' });
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({ ConfigurationEvent: { responseContentType: 'text/plain; charset=utf-8' } });
    await expect(lex.send(new StartConversationCommand({ ...BOT, sessionId: 'conv-bad', conversationMode: 'TEXT', requestEventStream: q }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    q.end();
    lex.destroy();
  });

  it('drops the stream mid-conversation on the dropStream fault', async () => {
    const lex = v2Client(emu.url);
    emu.session('conv-drop').faults.push({ fault: { type: 'dropStream' }, times: 1 });
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({ ConfigurationEvent: { responseContentType: 'text/plain; charset=utf-8' } });
    // send() resolves at the first response event, so the input goes in first.
    q.push({ TextInputEvent: { text: 'order flowers' } });
    const res = await lex.send(new StartConversationCommand({ ...BOT, sessionId: 'conv-drop', conversationMode: 'TEXT', requestEventStream: q }));
    const seen: Ev[] = [];
    await expect(
      (async () => {
        for await (const e of res.responseEventStream!) seen.push(e);
      })(),
    ).rejects.toThrow();
    expect(seen.some((e) => e.IntentResultEvent)).toBe(true);
    q.end();
    lex.destroy();
  });

  it('throttles a stream start as ThrottlingException', async () => {
    const lex = v2Client(emu.url);
    emu.session('conv-429').faults.push({ fault: { type: 'throttle' }, times: 1 });
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({ ConfigurationEvent: { responseContentType: 'text/plain; charset=utf-8' } });
    await expect(lex.send(new StartConversationCommand({ ...BOT, sessionId: 'conv-429', conversationMode: 'TEXT', requestEventStream: q }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    q.end();
    lex.destroy();
  });
});
