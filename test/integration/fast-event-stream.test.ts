import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartConversationCommand, type StartConversationRequestEventStream, type StartConversationResponseEventStream } from '@aws-sdk/client-lex-runtime-v2';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { asBytes } from '../../src/audio/pcm.js';
import { fastEventStreamOptions } from '../../src/bots/lexv2/fast-event-stream.js';
import { LexV2ConversationBot } from '../../src/bots/lexv2/conversation-bot.js';
import type { ConversationEvent } from '../../src/bots/bot.js';
import type { ConnectorError } from '../../src/errors.js';
import { demoCredentials, EventQueue, v2Client } from '../helpers/lex-clients.js';

const BOT = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US' };
const LPCM8K = 'audio/lpcm; sample-rate=8000; sample-size-bits=16; channel-count=1; is-big-endian=false';
type Ev = StartConversationResponseEventStream;
let emu: Emulator;

beforeAll(async () => {
  emu = await createEmulator({ conversation: { heartbeatMs: 0 } });
});
afterAll(async () => {
  await emu.close();
});

const fastClient = () => v2Client(emu.url, demoCredentials, fastEventStreamOptions());

async function readUntil(it: AsyncIterator<Ev>, seen: Ev[], stop: (e: Ev) => boolean): Promise<void> {
  for (;;) {
    const r = await it.next();
    if (r.done) throw new Error('stream ended');
    seen.push(r.value);
    if (stop(r.value)) return;
  }
}
const isAudioEnd = (e: Ev) => e.AudioResponseEvent !== undefined && !e.AudioResponseEvent.audioChunk?.length;

describe('StartConversation through the fast event path (real SDK client and HTTP/2 handler, emulator verifies every signature)', () => {
  it('streams an AUDIO dialog: welcome, an utterance heard exactly as sent, DTMF, disconnect', async () => {
    const lex = fastClient();
    const sessionId = 'fast-audio';
    emu.session(sessionId).script.push('I want to order flowers');
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({
      ConfigurationEvent: {
        responseContentType: 'audio/pcm; sample-rate=8000',
        welcomeMessages: [{ contentType: 'PlainText', content: 'Welcome' }],
        sessionState: { dialogAction: { type: 'ElicitIntent' }, sessionAttributes: { tenant: 'ü"t1' } },
      },
    });
    const res = await lex.send(new StartConversationCommand({ ...BOT, sessionId, conversationMode: 'AUDIO', requestEventStream: q }));
    const it = res.responseEventStream![Symbol.asyncIterator]();
    const seen: Ev[] = [];
    await readUntil(it, seen, isAudioEnd);
    q.push({ PlaybackCompletionEvent: {} });
    const sent = Buffer.concat([Buffer.alloc(3200), asBytes(synthesize('I want to order flowers', 8000)), Buffer.alloc(16000)]);
    for (let o = 0; o < sent.length; o += 320) q.push({ AudioInputEvent: { contentType: LPCM8K, audioChunk: sent.subarray(o, o + 320) } });
    await readUntil(it, seen, isAudioEnd);
    expect(seen.find((e) => e.TranscriptEvent)?.TranscriptEvent?.transcript).toBe('I want to order flowers');
    const rec = emu.session(sessionId).recordings[0];
    expect(sent.indexOf(rec.pcm)).toBeGreaterThanOrEqual(0);
    q.push({ PlaybackCompletionEvent: {} });
    for (const k of ['4', '2', '#']) q.push({ DTMFInputEvent: { inputCharacter: k } });
    await readUntil(it, seen, (e) => e.IntentResultEvent?.inputMode === 'DTMF');
    expect(
      emu
        .session(sessionId)
        .events.filter((e) => e.type === 'DTMFInputEvent')
        .map((e) => e.detail?.inputCharacter),
    ).toEqual(['4', '2', '#']);
    q.push({ DisconnectionEvent: {} });
    q.end();
    for (;;) if ((await it.next()).done) break;
    const sig = emu.session(sessionId).signatures;
    expect(sig.failed).toBe(0);
    // Configuration, two playback completions, every audio chunk, three keys, disconnection
    // (the emulator ends the conversation there, so the end frame is not read).
    expect(sig.verified).toBe(1 + 2 + Math.ceil(sent.length / 320) + 3 + 1);
    lex.destroy();
  });

  it('runs a TEXT-mode dialog to Fulfilled', async () => {
    const lex = fastClient();
    const q = new EventQueue<StartConversationRequestEventStream>();
    q.push({ ConfigurationEvent: { responseContentType: 'text/plain; charset=utf-8', sessionState: { dialogAction: { type: 'Delegate' }, intent: { name: 'OrderFlowers' } } } });
    const res = await lex.send(new StartConversationCommand({ ...BOT, sessionId: 'fast-text', conversationMode: 'TEXT', requestEventStream: q }));
    const it = res.responseEventStream![Symbol.asyncIterator]();
    const seen: Ev[] = [];
    await readUntil(it, seen, (e) => e.TextResponseEvent !== undefined);
    for (const text of ['roses', 'tomorrow', '5 pm', 'yes']) {
      q.push({ TextInputEvent: { text } });
      await readUntil(it, seen, (e) => e.TextResponseEvent !== undefined);
    }
    expect(seen.filter((e) => e.IntentResultEvent).at(-1)!.IntentResultEvent!.sessionState?.intent?.state).toBe('Fulfilled');
    q.end();
    for (;;) if ((await it.next()).done) break;
    // Configuration, four texts and the signed empty frame that ends the request.
    expect(emu.session('fast-text').signatures).toEqual({ verified: 6, failed: 0 });
    lex.destroy();
  });

  it('a cancelled stream ends once, and a new stream on the same session id verifies from a fresh seed', async () => {
    const bot = new LexV2ConversationBot(fastClient(), { ...BOT, sessionId: 'fast-cancel' }, {});
    const ends: (ConnectorError | undefined)[] = [];
    const events: ConversationEvent[] = [];
    const first = bot.open(
      { replyRateHz: 8000, resume: false },
      (e) => events.push(e),
      (err) => ends.push(err),
    );
    for (let i = 0; i < 20; i++) first.sendAudio(new Uint8Array(320));
    await expect.poll(() => emu.session('fast-cancel').signatures.verified).toBeGreaterThanOrEqual(21);
    first.cancel();
    await expect.poll(() => ends.length).toBe(1);
    const second = bot.open(
      { replyRateHz: 8000, resume: true },
      (e) => events.push(e),
      (err) => ends.push(err),
    );
    for (let i = 0; i < 5; i++) second.sendAudio(new Uint8Array(320));
    second.disconnect();
    await expect.poll(() => ends.length).toBe(2);
    expect(ends[1]).toBeUndefined();
    expect(emu.session('fast-cancel').signatures.failed).toBe(0);
    bot.close();
  });

  it('a peer that stops reading holds back the events: audio beyond the queue bound is dropped, not buffered', async () => {
    // An HTTP/2 peer that answers 200 and never reads the request body: flow control stops the client.
    const server = http2.createServer();
    server.on('stream', (stream) => {
      stream.pause();
      stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const lex = v2Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, demoCredentials, fastEventStreamOptions());
    const ends: unknown[] = [];
    const bot = new LexV2ConversationBot(lex, { ...BOT, sessionId: 'stalled' }, {});
    const stream = bot.open(
      { replyRateHz: 8000, resume: false },
      () => {},
      (err) => ends.push(err),
    );
    let accepted = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50; i++) if (stream.sendAudio(new Uint8Array(320))) accepted++;
      await new Promise((r) => setImmediate(r));
    }
    // 500 wait in the queue; at most the HTTP/2 window and stream buffers' worth left it.
    expect(accepted).toBeGreaterThanOrEqual(500);
    expect(accepted).toBeLessThan(500 + 300);
    stream.cancel();
    await expect.poll(() => ends.length).toBe(1);
    bot.close();
    server.close();
  });
});
