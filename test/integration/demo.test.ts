import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm run demo` as a new user runs it, with the traps of the first hour set: a LEX_ENDPOINT_URL
 * pointing nowhere and LOG_LEVEL=debug in the environment. It must still use its own emulator,
 * say so, print the OrderFlowers dialog as heard (no invented lines, no JSON log lines), print
 * the page's URL, keep serving, and stop on Ctrl-C. Real time: about 40 s.
 */
describe('npm run demo', () => {
  it('uses its own emulator whatever LEX_ENDPOINT_URL says, prints a readable dialog and the page URL, stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LEX_ENDPOINT_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'debug', DOTENV_CONFIG_PATH: '/nonexistent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (out.includes('Ctrl-C to stop.')) resolve();
        else if (child.exitCode !== null) reject(new Error(`demo exited early:\n${out}`));
      }, 100);
      void exited.then(() => clearInterval(check));
      child.stdout.once('close', () => clearInterval(check));
      setTimeout(() => clearInterval(check), 110_000);
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('caller: '))).toEqual(['caller: I would like to order some flowers', 'caller: roses', 'caller: tomorrow', 'caller: ten am', 'caller: yes']);
    expect(lines.filter((l) => l.trimStart().startsWith('bot: ')).map((l) => l.replace(/\(\d+ ms of audio\) /, ''))).toEqual([
      '   bot: ElicitSlot FlowerType',
      '   bot: ElicitSlot PickupDate',
      '   bot: ElicitSlot PickupTime',
      '   bot: ConfirmIntent',
      '   bot: Close',
    ]);
    expect(out).toMatch(/Lex back-end: the demo's own Lex emulator on http:\/\/127\.0\.0\.1:\d+\. LEX_ENDPOINT_URL=http:\/\/127\.0\.0\.1:9 is not used by the demo;/);
    expect(out).toMatch(/Talk to the bot in your browser: http:\/\/localhost:\d+\/phone/);
    expect(out).toContain('intent OrderFlowers Fulfilled');
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(out).not.toContain('NodeVersionSupportWarning');
  }, 120_000);
});
