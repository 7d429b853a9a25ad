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
import { utterance } from '../helpers/audio.js';

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
});
