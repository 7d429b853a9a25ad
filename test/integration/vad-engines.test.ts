import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { VadFactory } from '../../src/audio/vad.js';
import { utterance } from '../helpers/audio.js';
import { startStack, demoHeaders } from '../helpers/stack.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { ROUTES } from '../helpers/routes.js';

function nodeVadBuilt(): boolean {
  try {
    createRequire(import.meta.url)('node-vad');
    return true;
  } catch {
    return false;
  }
}

async function decisions(engine: 'fvad-wasm' | 'node-vad', rate: number): Promise<string> {
  const vad = (await VadFactory.load(engine)).create(3, rate);
  const buf = utterance('order some flowers', rate);
  const fb = (rate / 50) * 2;
  const out: boolean[] = [];
  let pending = 0;
  await new Promise<void>((resolve) => {
    for (let o = 0; o + fb <= buf.length; o += fb) {
      pending++;
      const frame = new Int16Array(buf.buffer.slice(buf.byteOffset + o, buf.byteOffset + o + fb));
      vad.score(frame, (s) => {
        out.push(s);
        if (--pending === 0) resolve();
      });
    }
  });
  vad.close();
  return out.map((s) => (s ? '1' : '0')).join('');
}

describe.skipIf(!nodeVadBuilt())('VAD engines (node-vad is an optional native addon; skipped when it did not build)', () => {
  // node-vad 1.1.4 (its vendored WebRTC VAD, fed float samples) drops every third speech
  // frame where libfvad does not (docs/audio.md); onset and silences must still agree.
  it.each([8000, 16000])('node-vad finds the same onset and the same silences as fvad-wasm at %i Hz, in order', async (rate) => {
    const a = await decisions('fvad-wasm', rate);
    const b = await decisions('node-vad', rate);
    expect(a.indexOf('1')).toBeGreaterThan(0);
    expect(b.indexOf('1')).toBe(a.indexOf('1'));
    expect(b.lastIndexOf('1')).toBeLessThanOrEqual(a.lastIndexOf('1') + 2);
    for (let i = 0; i < a.length; i++) if (a[i] === '0' && (i < a.indexOf('1') || i > a.lastIndexOf('1') + 2)) expect(b[i]).toBe('0');
  });

  it('a call runs on VAD_ENGINE=node-vad', async () => {
    const stack = await startStack({ env: { VAD_ENGINE: 'node-vad' } });
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('nodevad'), { rateHz: 16000, headers: demoHeaders() });
    stack.emu.session('nodevad').script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 16000));
    expect((await phone.nextReply()).frames.length).toBeGreaterThan(0);
    phone.hangUp();
    await stack.close();
  });
});
