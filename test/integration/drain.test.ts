import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { demoHeaders, until } from '../helpers/stack.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await createEmulator({ conversation: { heartbeatMs: 0 } });
});
afterAll(async () => {
  await emu.close();
});

/** Starts the real process entry (src/main.ts) and resolves with its port once it listens. */
function startProcess(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string; exit: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LEX_ENDPOINT_URL: emu.url, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve({ proc, url: `127.0.0.1:${m[1]}`, exit });
    });
    proc.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
  });
}

const path = ROUTES.v2;

describe('graceful drain (SIGTERM on the real process)', () => {
  it('keeps calls in progress until they end, refuses new ones with 503, reports not ready, and exits 0', async () => {
    const { proc, url, exit } = await startProcess({ DRAIN_TIMEOUT_MS: '60000' });
    const phone = await VonagePhone.connect(`ws://${url}${path('drain-a')}`, { rateHz: 16000, headers: demoHeaders() });
    emu.session('drain-a').script.push('order flowers', 'roses');
    phone.sendAudio(utterance('order flowers', 16000, 1));
    await phone.nextReply();
    proc.kill('SIGTERM');
    await until(async () => (await fetch(`http://${url}/ready`)).status === 503);
    await expect(VonagePhone.connect(`ws://${url}${path('drain-new')}`, { rateHz: 16000, headers: demoHeaders() })).rejects.toMatchObject({ status: 503 });
    // The call in progress is not cut: another whole turn works during the drain.
    phone.sendAudio(utterance('roses', 16000, 2));
    const reply = await phone.nextReply();
    expect(reply.frames.length).toBeGreaterThan(50);
    expect(proc.exitCode).toBeNull();
    phone.hangUp();
    expect((await phone.closed).code).toBe(1000);
    expect(await exit).toBe(0);
  });

  it('closes calls still open at DRAIN_TIMEOUT_MS with 1001, then exits 0', async () => {
    const { proc, url, exit } = await startProcess({ DRAIN_TIMEOUT_MS: '500' });
    const phone = await VonagePhone.connect(`ws://${url}${path('drain-b')}`, { rateHz: 8000, headers: demoHeaders() });
    phone.sendSilence(200);
    await until(async () => /lexconn_active_calls\{[^}]*\} 1/.test(await (await fetch(`http://${url}/metrics`)).text()));
    proc.kill('SIGINT');
    expect(await phone.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await exit).toBe(0);
  });
});
