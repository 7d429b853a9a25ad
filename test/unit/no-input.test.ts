import { CallLimits } from '../../src/call/call-limits.js';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { VadFactory } from '../../src/audio/vad.js';
import type { BotReply, UtteranceBot } from '../../src/bots/bot.js';
import { parseCallConfig } from '../../src/call/call-config.js';
import type { CallEvent } from '../../src/call/call-events.js';
import type { CloseSpec } from '../../src/call/close-codes.js';
import { CLOSE_ONLY } from '../../src/call/handoff.js';
import { DEFAULT_HANDOFF_RULES } from '../../src/call/handoff-rules.js';
import { Metrics } from '../../src/metrics.js';
import { UtteranceSession } from '../../src/session/utterance-session.js';
import type { CallTransport } from '../../src/transports/transport.js';
import { utterance } from '../helpers/audio.js';

const flush = () => new Promise((r) => setImmediate(r));

/** An utterance session on a manual clock whose bot answers every request with 1 s of audio. */
async function silentCaller(settings: Record<string, unknown>) {
  const clock = new ManualClock();
  const frames: Buffer[] = [];
  const events: CallEvent[] = [];
  const ends: { code: number; detail?: string }[] = [];
  const texts: string[] = [];
  const transport: CallTransport = { platform: 'vonage', rateHz: 16000, sendFrame: (f) => (frames.push(f), true), clear: () => undefined, mark: () => undefined, close: () => undefined };
  const reply = (): BotReply => ({
    audio: (async function* () {
      yield new Uint8Array(32000);
    })(),
    audioRateHz: 16000,
    dialogClosed: false,
    intentName: 'OrderFlowers',
    message: 'What type of flowers would you like to order?',
  });
  const bot: UtteranceBot = {
    api: 'v2',
    startUtterance: () => ({ write: () => undefined, end: () => undefined, reply: Promise.resolve(reply()) }),
    sendText: (text) => (texts.push(text), Promise.resolve(reply())),
    close: () => undefined,
  };
  const session = new UtteranceSession(
    transport,
    parseCallConfig({ aws_key: 'AKIAABCDEFGHIJKLMNOP', aws_secret: 's', ...settings }, 'v2'),
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
      events: { emit: (e) => events.push(e) },
      handoff: { rules: DEFAULT_HANDOFF_RULES, platform: CLOSE_ONLY },
    },
    (why, detail) => ends.push({ code: (why as CloseSpec).code, detail }),
  );
  /** Lets the event loop and `ms` of clock time run, in 100 ms steps. */
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      await flush();
      clock.advance(100);
    }
    await flush();
  };
  const speak = () => {
    const pcm = utterance('order some flowers', 16000, 1);
    for (let o = 0; o + 640 <= pcm.length; o += 640) session.onAudio(new Int16Array(pcm.buffer.slice(pcm.byteOffset + o, pcm.byteOffset + o + 640)));
  };
  return { session, frames, events, ends, texts, run, speak };
}

const noInputEvents = (events: CallEvent[]) => events.filter((e) => e.type === 'no_input');

describe('no input (utterance routes, injected clock)', () => {
  it('off by default: a silent caller is never re-prompted', async () => {
    const c = await silentCaller({});
    c.speak();
    await c.run(60_000);
    expect(c.frames).toHaveLength(50);
    expect(noInputEvents(c.events)).toEqual([]);
    expect(c.ends).toEqual([]);
    c.session.close();
  });

  it('replays the last prompt no_input_retries times, each after no_input_ms of silence, then hangs up with 4011', async () => {
    const c = await silentCaller({ no_input_ms: 3000, no_input_retries: 2 });
    c.speak();
    await c.run(3000); // the prompt plays (1 s) and its mark is settled
    expect(c.frames).toHaveLength(50);
    await c.run(2900);
    expect(c.frames).toHaveLength(50); // not yet: the silence is counted from the end of the prompt
    await c.run(4000);
    expect(c.frames).toHaveLength(100); // first replay, the same prompt
    expect(Buffer.concat(c.frames.slice(50))).toEqual(Buffer.concat(c.frames.slice(0, 50)));
    await c.run(20_000);
    expect(c.frames).toHaveLength(150); // second replay, then no more
    expect(noInputEvents(c.events)).toEqual([
      { type: 'no_input', attempt: 1, action: 'reprompt' },
      { type: 'no_input', attempt: 2, action: 'reprompt' },
      { type: 'no_input', attempt: 3, action: 'hangup' },
    ]);
    expect(c.ends).toEqual([{ code: 4011, detail: undefined }]);
    expect(c.session.stats.noInputs).toBe(3);
    c.session.close();
  });

  it('no_input_action handoff: after the re-prompts the caller is handed off (4010, reason no-input) with the context', async () => {
    const c = await silentCaller({ no_input_ms: 2000, no_input_retries: 1, no_input_action: 'handoff', caller_id: '+447700900123' });
    c.speak();
    await c.run(30_000);
    expect(c.frames).toHaveLength(100);
    expect(c.ends).toEqual([{ code: 4010, detail: 'no-input' }]);
    const handoff = c.events.find((e) => e.type === 'handoff');
    expect(handoff).toMatchObject({
      method: 'close',
      context: { reason: 'no-input', intentName: 'OrderFlowers', callerId: '+447700900123', transcript: [{ from: 'bot', text: 'What type of flowers would you like to order?' }] },
    });
    c.session.close();
  });

  it('no_input_text re-prompts by sending the text to Lex (a turn with input none) instead of replaying', async () => {
    const c = await silentCaller({ no_input_ms: 2000, no_input_retries: 1, no_input_text: 'are you still there' });
    c.speak();
    await c.run(30_000);
    expect(c.texts).toEqual(['are you still there']);
    const turns = c.events.filter((e) => e.type === 'turn').map((e) => (e.type === 'turn' ? e.turn.input : ''));
    expect(turns).toEqual(['speech', 'none']);
    expect(c.ends).toEqual([{ code: 4011, detail: undefined }]);
    c.session.close();
  });

  it('caller input resets the count: speech or a key between silences starts the re-prompts over', async () => {
    const c = await silentCaller({ no_input_ms: 3000, no_input_retries: 1 });
    c.speak();
    await c.run(7000); // prompt, then one silence: a replay
    expect(noInputEvents(c.events)).toHaveLength(1);
    c.speak(); // the caller answers: a new turn and its prompt
    await c.run(7000);
    expect(noInputEvents(c.events).map((e) => (e.type === 'no_input' ? e.attempt : 0))).toEqual([1, 1]);
    expect(c.ends).toEqual([]);
    c.session.close();
  });
});
