import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/audio/clock.js';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { createVoice } from '../../src/emulator/voice/index.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { writeWav } from '../helpers/wav.js';

/**
 * The browser client in a real browser: Debian's Chromium, driven by playwright-core, with a
 * fake microphone that plays a WAV file of two spoken utterances (Flite's voice): the first,
 * then, while the bot's long answer is playing, the second (a barge-in). Every route and the
 * chat tab, through the connector and its embedded emulator, in real time.
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
if (!CHROMIUM) console.warn('test/browser/phone.test.ts: SKIPPED, Chromium is not installed (apt-get install chromium; .ci/run installs it)');

const RATE = 16000;
const FIRST = 'I would like to order some flowers';
const SECOND = 'roses';
/** Where each utterance starts in the WAV file, and how long its speech lasts (ms). */
const layout = { firstAtMs: 1500, firstMs: 0, secondAtMs: 0, secondMs: 0 };

/** Speech without Flite's own leading and trailing silence. */
function trimmed(pcm: Int16Array): Int16Array {
  let a = 0;
  let b = pcm.length;
  while (a < b && Math.abs(pcm[a]) < 64) a++;
  while (b > a && Math.abs(pcm[b - 1]) < 64) b--;
  return pcm.slice(a, b);
}

function rmsDb(pcm: Int16Array): number {
  let acc = 0;
  for (const v of pcm) acc += v * v;
  return 20 * Math.log10(Math.sqrt(acc / Math.max(1, pcm.length)) / 32768);
}

/** The speech in a recording: its length (ms, from the first to the last 20 ms block above -50 dBFS) and its level over those blocks (dBFS). */
function speechIn(pcm: Int16Array, rateHz: number): { ms: number; levelDb: number } {
  const block = rateHz / 50;
  const loud: number[] = [];
  for (let i = 0; i + block <= pcm.length; i += block) if (rmsDb(pcm.subarray(i, i + block)) > -50) loud.push(i);
  if (loud.length === 0) return { ms: 0, levelDb: -120 };
  const from = loud[0];
  const to = loud.at(-1)! + block;
  return { ms: ((to - from) / rateHz) * 1000, levelDb: rmsDb(pcm.subarray(from, to)) };
}

let dir: string;
let wav: string;
let sourceLevelDb: number;

/** Two utterances, the second 3 s after the first, while the bot's 6.8 s FlowerType prompt is playing. */
async function makeWav(): Promise<void> {
  const voice = createVoice('flite', await ResamplerFactory.load());
  const a = trimmed(await voice.synthesize(FIRST, RATE));
  const b = trimmed(await voice.synthesize(SECOND, RATE));
  const z = (ms: number) => new Int16Array((RATE / 1000) * ms);
  layout.firstMs = (a.length / RATE) * 1000;
  layout.secondAtMs = layout.firstAtMs + layout.firstMs + 3000;
  layout.secondMs = (b.length / RATE) * 1000;
  sourceLevelDb = speechIn(a, RATE).levelDb;
  const parts = [z(layout.firstAtMs), a, z(3000), b, z(15000)];
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  writeWav(wav, out, RATE);
}

describe.skipIf(!CHROMIUM)('the browser client (/phone) in Chromium', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lex-phone-'));
    wav = join(dir, 'mic.wav');
    await makeWav();
    // Real time: the page plays what the connector paces.
    stack = await startStack({ embedded: true, clock: systemClock, env: { LOG_LEVEL: 'info' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        // As root, without the background traffic this machine's closed network refuses; playwright
        // gives every launch a new, empty profile (its own --user-data-dir).
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page on /phone, its console errors collected, the connector's settings loaded. */
  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    await page.goto(`${stack.httpUrl}/phone`);
    await page.waitForFunction(() => (document.getElementById('awsKey') as HTMLInputElement).value !== '');
    return { page, errors };
  }

  const stats = (page: Page) => page.evaluate(() => (window as any).lexPhone.stats());
  const logText = async (page: Page) => (await page.locator('#log li').allInnerTexts()).join('\n');

  // `raw`: the microphone without the browser's echo cancellation, noise suppression and gain
  // control, so the level arrives as spoken; with them (the page's default) Chrome's automatic
  // gain control raises this quiet voice by about 5 dB.
  // The calls run at the same time, each page with its own fake microphone, as three callers would.
  it.concurrent.each([
    ['v2', 16000, true],
    ['conversation', 16000, false],
    ['v1', 8000, true],
  ] as const)(
    '%s at %i Hz (raw microphone: %s): the utterance reaches the emulator whole, the reply plays, transcript and intent appear, barge-in clears playback, no console error',
    async (route, rateHz, raw) => {
      const { page, errors } = await openPage();
      const session = `web-${route}-${Date.now()}`;
      await page.check(`input[name="route"][value="${route}"]`);
      await page.fill('#sessionId', session);
      await page.selectOption('#rate', String(rateHz));
      await page.check('#bargeIn');
      if (raw) await page.check('#rawMic');
      await page.fill('#script', `${FIRST}\n${SECOND}`);
      await page.click('#call');
      // Two answered turns: the first interrupted by the second utterance, the second heard to the end.
      await page.waitForFunction(() => document.querySelectorAll('#log li.bot').length >= 2, undefined, { timeout: 60_000 });
      await page.waitForFunction(() => (window as any).lexPhone.stats()?.playback?.marksPlayed >= 1, undefined, { timeout: 30_000 });
      const s = await stats(page);
      await page.click('#hangUp');
      await page.waitForFunction(() => !(window as any).lexPhone.inCall());

      // The first utterance, as the emulator received it: the whole of it (plus at most the
      // pre-roll and the trailing silence the segmenter keeps), at the level it was spoken.
      const rec = stack.emu.session(session).recordings;
      expect(rec.map((r) => r.transcript).slice(0, 2)).toEqual([FIRST, SECOND]);
      const heard = speechIn(new Int16Array(rec[0].pcm.buffer, rec[0].pcm.byteOffset, rec[0].pcm.length / 2), rec[0].sampleRateHz);
      expect(heard.ms).toBeGreaterThan(layout.firstMs - 150);
      expect(heard.ms).toBeLessThan(layout.firstMs + 300);
      if (raw) expect(Math.abs(heard.levelDb - sourceLevelDb)).toBeLessThan(1.5);
      else expect(heard.levelDb - sourceLevelDb).toBeGreaterThan(-3);

      // The replies, counted in the playback worklet: everything received was played or cleared by the barge-in.
      const p = s.playback;
      expect(p.receivedSamples).toBeGreaterThan(rateHz * 2);
      expect(p.playedSamples / p.rateHz).toBeGreaterThan(2);
      expect(Math.abs(p.playedSamples / p.rateHz + p.clearedSamples / p.rateHz - p.receivedSamples / rateHz)).toBeLessThan(0.1);
      expect(s.clears).toBeGreaterThanOrEqual(1);
      expect(p.clears).toBe(s.clears);
      // Underruns are not asserted: on a loaded machine the page may run dry (the count is shown to the user).
      expect(s.sentFrames).toBeGreaterThan(200);

      const log = await logText(page);
      expect(log).toContain(`“${FIRST}”`);
      expect(log).toContain(`“${SECOND}”`);
      expect(log).toMatch(/Bot:\s*What type of flowers would you like to order\?[^\n]*\n?.*intent OrderFlowers \(InProgress\) · ElicitSlot/);
      expect(log).toMatch(/FlowerType=roses/);
      expect(log).toContain('interrupted');
      expect(log).toContain('Barge-in: the bot stopped talking.');
      expect(log).toMatch(/Call ended: 1000/);
      expect(errors).toEqual([]);
      await page.context().close();
    },
    120_000,
  );

  it.concurrent('the chat tab completes the OrderFlowers dialog through the chat API', async () => {
    const { page, errors } = await openPage();
    await page.fill('#sessionId', `web-chat-${Date.now()}`);
    await page.click('#tab-chat');
    expect(await page.getAttribute('#tab-chat', 'aria-selected')).toBe('true');
    expect(await page.isHidden('#panel-voice')).toBe(true);
    const turns = ['I would like to order some flowers', 'roses', 'tomorrow', '10 am', 'yes'];
    for (const [i, text] of turns.entries()) {
      await page.fill('#chat-text', text);
      await page.press('#chat-text', 'Enter');
      await page.waitForFunction((n) => document.querySelectorAll('#log li.bot').length >= n, i + 1);
    }
    const log = await logText(page);
    expect(log).toContain('What type of flowers would you like to order?');
    expect(log).toContain('intent OrderFlowers Fulfilled');
    expect(log).toContain('FlowerType=roses');
    expect(log).toContain('conversation closed');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
