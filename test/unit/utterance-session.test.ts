import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ManualClock } from '../../src/audio/clock.js';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { VadFactory } from '../../src/audio/vad.js';
import { Metrics } from '../../src/metrics.js';
import { NO_EVENTS } from '../../src/call/call-events.js';
import { CallLimits } from '../../src/call/call-limits.js';
import { CLOSE_ONLY } from '../../src/call/handoff.js';
import { DEFAULT_HANDOFF_RULES } from '../../src/call/handoff-rules.js';
import { UtteranceSession } from '../../src/session/utterance-session.js';
import { parseCallConfig } from '../../src/call/call-config.js';
import type { BotReply, UtteranceBot } from '../../src/bots/bot.js';
import type { CallTransport } from '../../src/transports/transport.js';
import { speech, utterance } from '../helpers/audio.js';

/** A reply whose audio stream the test controls: push chunks, then end or fail it. */
function controlledAudio() {
  const chunks: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let done = false;
  const iterable: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (chunks.length) yield chunks.shift()!;
        else if (failure) throw failure;
        else if (done) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
  const poke = () => wake?.();
  return { iterable, push: (c: Uint8Array) => (chunks.push(c), poke()), end: () => ((done = true), poke()), fail: (e: Error) => ((failure = e), poke()) };
}

describe('UtteranceSession', () => {
  it('a barged-in turn whose stream fails late does not clear the reply that replaced it (regression)', async () => {
    const clock = new ManualClock();
    const frames: Buffer[] = [];
    const controls: string[] = [];
    const transport: CallTransport = {
      platform: 'vonage',
      rateHz: 16000,
      sendFrame: (f) => (frames.push(f), true),
      clear: () => controls.push('clear'),
      mark: (n) => controls.push(`mark:${n}`),
      close: () => undefined,
    };
    const replies: { resolve(r: BotReply): void; signal: AbortSignal }[] = [];
    const bot: UtteranceBot = {
      api: 'v2',
      startUtterance: (_rate, signal) => {
        let resolve!: (r: BotReply) => void;
        const reply = new Promise<BotReply>((r) => (resolve = r));
        replies.push({ resolve, signal });
        return { write: () => undefined, end: () => undefined, reply };
      },
      sendText: () => new Promise(() => undefined),
      close: () => undefined,
    };
    const session = new UtteranceSession(
      transport,
      parseCallConfig({ aws_key: 'AKIAABCDEFGHIJKLMNOP', aws_secret: 's' }, 'v2'),
      bot,
      {
        clock,
        log: pino({ level: 'silent' }),
        metrics: new Metrics(false),
        vad: await VadFactory.load(),
        resamplers: await ResamplerFactory.load(),
        leadMs: 100,
        dtmfTimeoutMs: 2000,
        lexTimeoutMs: 10_000,
        limits: new CallLimits(clock, { controlMessagesPerSecond: 50, lexRequestsPerMinute: 60 }),
        route: 'v2',
        events: NO_EVENTS,
        handoff: { rules: DEFAULT_HANDOFF_RULES, platform: CLOSE_ONLY },
      },
      () => undefined,
    );
    const speak = (seed: number) => {
      const pcm = utterance('order some flowers', 16000, seed);
      for (let o = 0; o + 640 <= pcm.length; o += 640) session.onAudio(new Int16Array(pcm.buffer.slice(pcm.byteOffset + o, pcm.byteOffset + o + 640)));
    };
    const flush = () => new Promise((r) => setImmediate(r));

    speak(1); // turn A
    const a = controlledAudio();
    replies[0].resolve({ audio: a.iterable, audioRateHz: 16000, dialogClosed: false });
    a.push(new Uint8Array(32000)); // 1 s of reply A
    await flush();
    clock.advance(100);
    expect(frames.length).toBeGreaterThan(0);

    speak(2); // barge-in: A is aborted, turn B starts
    expect(replies[0].signal.aborted).toBe(true);
    expect(controls).toEqual(['clear']);
    const b = controlledAudio();
    replies[1].resolve({ audio: b.iterable, audioRateHz: 16000, dialogClosed: false });
    b.push(new Uint8Array(32000));
    await flush();
    const before = frames.length;
    clock.advance(100);
    expect(frames.length).toBeGreaterThan(before); // B is playing

    a.fail(Object.assign(new Error('aborted'), { name: 'AbortError' })); // A's stream fails late
    await flush();
    const mid = frames.length;
    clock.advance(400);
    expect(controls).toEqual(['clear']); // no second clear
    expect(frames.length).toBeGreaterThan(mid); // B keeps playing
    session.close();
  });
  it('without barge-in, a caller who answers right after each prompt on a digitally silent line is heard every turn (regression)', async () => {
    // While the bot is busy the caller is not heard, but the voice gate must still learn the
    // background: otherwise its noise floor and spread are those of the end of the last
    // utterance, and a prompt answer 300 ms after the prompt is taken for background.
    const clock = new ManualClock();
    const controls: string[] = [];
    const transport: CallTransport = {
      platform: 'vonage',
      rateHz: 8000,
      sendFrame: () => true,
      clear: () => controls.push('clear'),
      mark: (n) => controls.push(`mark:${n}`),
      close: () => undefined,
    };
    const replies: { resolve(r: BotReply): void }[] = [];
    const bot: UtteranceBot = {
      api: 'v2',
      startUtterance: () => {
        let resolve!: (r: BotReply) => void;
        const reply = new Promise<BotReply>((r) => (resolve = r));
        replies.push({ resolve });
        return { write: () => undefined, end: () => undefined, reply };
      },
      sendText: () => new Promise(() => undefined),
      close: () => undefined,
    };
    const session = new UtteranceSession(
      transport,
      parseCallConfig({ aws_key: 'AKIAABCDEFGHIJKLMNOP', aws_secret: 's', barge_in: false }, 'v2'),
      bot,
      {
        clock,
        log: pino({ level: 'silent' }),
        metrics: new Metrics(false),
        vad: await VadFactory.load(),
        resamplers: await ResamplerFactory.load(),
        leadMs: 100,
        dtmfTimeoutMs: 2000,
        lexTimeoutMs: 10_000,
        limits: new CallLimits(clock, { controlMessagesPerSecond: 50, lexRequestsPerMinute: 60 }),
        route: 'v2',
        events: NO_EVENTS,
        handoff: { rules: DEFAULT_HANDOFF_RULES, platform: CLOSE_ONLY },
      },
      () => undefined,
    );
    const flush = () => new Promise((r) => setImmediate(r));
    const words = speech('order some lovely flowers please', 8000);
    const silence = (ms: number) => new Int16Array(ms * 8);
    // The load benchmark's caller: 300 ms of digital silence, 600 ms of speech, a 300 ms pause, 600 ms more.
    const script = [silence(300), words.subarray(0, 4800), silence(300), words.subarray(0, 4800), silence(600)];
    const send = (pcm: Int16Array) => {
      for (let o = 0; o + 160 <= pcm.length; o += 160) {
        session.onAudio(pcm.slice(o, o + 160));
        clock.advance(20);
      }
    };
    for (let turn = 1; turn <= 4; turn++) {
      for (const part of script) send(part);
      expect(replies).toHaveLength(turn);
      replies[turn - 1].resolve({
        audio: (async function* () {
          yield new Uint8Array(64000);
        })(),
        audioRateHz: 16000,
        dialogClosed: false,
      });
      await flush();
      // The caller hears the 2 s reply in silence, and answers as soon as its mark comes back.
      while (!controls.includes(`mark:reply-${turn}`)) {
        send(silence(20));
        await flush();
      }
      session.onMark(`reply-${turn}`);
      await flush();
    }
    session.close();
  });
});
