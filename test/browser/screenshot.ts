/**
 * Makes docs/images/phone.png: the whole OrderFlowers dialog spoken into the /phone page by
 * Chromium's fake microphone (five utterances in Flite's voice, spaced by the bot's prompts),
 * through a connector with its embedded emulator. `npx tsx test/browser/screenshot.ts [out.png]`;
 * needs Debian's chromium. About a minute, in real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { systemClock } from '../../src/audio/clock.js';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { createVoice } from '../../src/emulator/voice/index.js';
import { startStack } from '../helpers/stack.js';
import { writeWav } from '../helpers/wav.js';

const out = process.argv[2] ?? 'docs/images/phone.png';
const dir = mkdtempSync(join(tmpdir(), 'lex-phone-shot-'));
const wav = join(dir, 'mic.wav');
const voice = createVoice('flite', await ResamplerFactory.load());
// Each line, then silence for the bot's prompt to it (seconds) and a breath.
const turns: [string, number][] = [
  ['I would like to order some flowers', 6.8],
  ['roses', 2.6],
  ['tomorrow', 2.8],
  ['ten am', 8.4],
  ['yes', 9.2],
];
const parts: Int16Array[] = [new Int16Array(16 * 1500)];
for (const [line, promptS] of turns) parts.push(await voice.synthesize(line, 16000), new Int16Array(Math.round(16000 * (promptS + 2))));
const pcm = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
let o = 0;
for (const p of parts) {
  pcm.set(p, o);
  o += p.length;
}
writeWav(wav, pcm, 16000);

const stack = await startStack({ embedded: true, clock: systemClock, env: { LOG_LEVEL: 'warn' } });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
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
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${stack.httpUrl}/phone`);
  await page.waitForFunction(() => (document.getElementById('awsKey') as HTMLInputElement).value !== '');
  await page.click('#fillDialog');
  await page.click('#call');
  await page.waitForFunction(() => !(window as any).lexPhone.inCall() && (window as any).lexPhone.stats(), undefined, { timeout: 120_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
}
