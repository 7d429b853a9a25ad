import { beforeAll, describe, expect, it } from 'vitest';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { rmsDbfs } from '../../src/audio/pcm.js';
import { synthesize } from '../../src/audio/speech-synth.js';
import { CachedVoice, createVoice, type Voice } from '../../src/emulator/voice/index.js';
import { FallbackVoice } from '../../src/emulator/voice/fallback.js';
import { FliteVoice, loadFliteModule, renderFlite } from '../../src/emulator/voice/flite.js';
import { resampleAll } from '../../src/emulator/voice/resample.js';
import { speakable } from '../../src/emulator/voice/speakable.js';
import { SyntheticVoice } from '../../src/emulator/voice/synthetic.js';
import { runWasiCommand } from '../../src/emulator/voice/wasi.js';

const PROMPT = 'What type of flowers would you like to order? Say roses, tulips or lilies, or press 1, 2 or 3.';
let resamplers: ResamplerFactory;

beforeAll(async () => {
  resamplers = await ResamplerFactory.load();
});

/** Levels of the 20 ms frames that carry speech (above -45 dBFS), and the peak, in dBFS. */
function levels(pcm: Int16Array, rateHz: number): { activeDbfs: number; activeShare: number; peakDbfs: number } {
  const n = rateHz / 50;
  const active: Int16Array[] = [];
  let frames = 0;
  for (let i = 0; i + n <= pcm.length; i += n, frames++) if (rmsDbfs(pcm.subarray(i, i + n)) > -45) active.push(pcm.subarray(i, i + n));
  const joined = new Int16Array(active.length * n);
  for (const [i, f] of active.entries()) joined.set(f, i * n);
  let peak = 0;
  for (const s of pcm) peak = Math.max(peak, Math.abs(s));
  return { activeDbfs: rmsDbfs(joined), activeShare: active.length / frames, peakDbfs: 20 * Math.log10(peak / 32768) };
}

describe('speakable', () => {
  it('says slot values the way Lex would, not digit by digit', () => {
    expect(speakable('Okay, your roses will be ready for pickup by 10:00 on 2026-11-27. Does this sound okay?')).toBe(
      'Okay, your roses will be ready for pickup by ten a.m. on Friday, November twenty-seventh. Does this sound okay?',
    );
    expect(speakable('at 15:30, 09:05, 12:00, 00:00 or 23:59')).toBe('at three thirty p.m., nine oh five a.m., noon, midnight or eleven fifty-nine p.m.');
    expect(speakable('press 1, 2 or 3.')).toBe('press one, two or three.');
  });

  it('leaves what it does not know alone', () => {
    expect(speakable('on 2026-02-30, 3.5 kg, 1234 items, 25:00, 10:00:30, room 101')).toBe('on 2026-02-30, 3.5 kg, 1234 items, 25:00, 10:00:30, room 101');
  });
});

describe('the flite voice', () => {
  it('speaks a prompt at 16 kHz with a plausible length and a telephone level, unclipped', async () => {
    const pcm = await new FliteVoice(resamplers).synthesize(PROMPT, 16000);
    const words = speakable(PROMPT).split(/\s+/).length;
    const msPerWord = pcm.length / 16 / words;
    expect(msPerWord).toBeGreaterThan(200);
    expect(msPerWord).toBeLessThan(600);
    const l = levels(pcm, 16000);
    expect(l.activeDbfs).toBeGreaterThan(-32);
    expect(l.activeDbfs).toBeLessThan(-18);
    expect(l.activeShare).toBeGreaterThan(0.5); // speech, with pauses between phrases
    expect(l.peakDbfs).toBeLessThan(-3);
  });

  it('gives 8 kHz audio resampled from its 16 kHz speech, the same length in time', async () => {
    const voice = new FliteVoice(resamplers);
    const at16 = await voice.synthesize(PROMPT, 16000);
    const at8 = await voice.synthesize(PROMPT, 8000);
    expect(at8.length).toBe(Math.round(at16.length / 2));
    expect(at8).toEqual(resampleAll(resamplers, at16, 16000, 8000));
    const l = levels(at8, 8000);
    expect(l.activeDbfs).toBeGreaterThan(-32);
    expect(l.peakDbfs).toBeLessThan(-3);
  });

  it('is deterministic: separate voices give the same samples', async () => {
    const a = await new FliteVoice(resamplers).synthesize('Sorry, can you please repeat that?', 8000);
    const b = await new FliteVoice(resamplers).synthesize('Sorry, can you please repeat that?', 8000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it("offers Flite's rms voice as flite-rms: another voice, the same length rules", async () => {
    const rms = createVoice('flite-rms', resamplers);
    expect(rms.name).toBe('flite-rms');
    const pcm = await rms.synthesize(PROMPT, 8000);
    expect(pcm).not.toEqual(await new FliteVoice(resamplers).synthesize(PROMPT, 8000));
    const msPerWord = pcm.length / 8 / speakable(PROMPT).split(/\s+/).length;
    expect(msPerWord).toBeGreaterThan(200);
    expect(msPerWord).toBeLessThan(600);
    expect(levels(pcm, 8000).peakDbfs).toBeLessThan(-1);
  });

  it('says nothing for an empty or blank message, and survives control characters', async () => {
    const voice = new FliteVoice(resamplers);
    expect((await voice.synthesize('', 16000)).length).toBe(0);
    expect((await voice.synthesize(' \n\t ', 16000)).length).toBe(0);
    expect((await voice.synthesize('Okay.\u0000\u0007 Goodbye.', 16000)).length).toBeGreaterThan(8000);
  });

  it('runs Flite in memory: arguments in, exit code, output and created files out', async () => {
    const module = await loadFliteModule();
    const version = runWasiCommand(module, ['flite', '--version']);
    expect(version.exitCode).toBe(1); // Flite's own exit(1) after printing its version
    expect(version.stdout).toMatch(/version: flite-2\.3/);
    expect(runWasiCommand(module, ['flite', '-lv']).stdout).toMatch(/Voices available: .*kal16/);
    const missing = runWasiCommand(module, ['flite', '-f', 'no-such-file.txt']);
    expect(missing.stderr).toMatch(/failed to open file "no-such-file.txt"/);
    expect(missing.files.size).toBe(0);
    const ok = runWasiCommand(module, ['flite', '-voice', 'kal16', '-t', 'hello', 'out.wav']);
    expect(ok.exitCode).toBe(0);
    expect(Buffer.from(ok.files.get('out.wav')!).toString('latin1', 0, 4)).toBe('RIFF');
    expect(renderFlite(module, 'kal16', 'hello')).toMatchObject({ rateHz: 16000 });
    expect(renderFlite(module, 'kal', 'hello')).toMatchObject({ rateHz: 8000 });
  });
});

describe('the synthetic voice', () => {
  it('is the speech-like synth of src/audio/speech-synth.ts, unchanged', async () => {
    expect(await new SyntheticVoice().synthesize(PROMPT, 8000)).toEqual(synthesize(PROMPT, 8000));
  });
});

/** A voice that counts its calls and can be made to fail. */
class CountingVoice implements Voice {
  readonly name = 'synthetic';
  calls = 0;
  fail = false;
  synthesize(text: string, rateHz: number): Promise<Int16Array> {
    this.calls++;
    if (this.fail) return Promise.reject(new Error('boom'));
    return Promise.resolve(new Int16Array(text.length * (rateHz / 1000)));
  }
}

describe('CachedVoice', () => {
  it('synthesizes each (text, rate) once, sharing concurrent requests', async () => {
    const inner = new CountingVoice();
    const cache = new CachedVoice(inner);
    const [a, b] = await Promise.all([cache.synthesize('hello', 8000), cache.synthesize('hello', 8000)]);
    expect(a).toBe(b);
    expect(await cache.synthesize('hello', 16000)).not.toBe(a);
    expect(await cache.synthesize('hello', 8000)).toBe(a);
    expect(inner.calls).toBe(2);
  });

  it('drops the least recently used clips beyond its entry and byte limits', async () => {
    const inner = new CountingVoice();
    const cache = new CachedVoice(inner, { maxEntries: 2, maxBytes: 1 << 20 });
    await cache.synthesize('a', 8000);
    await cache.synthesize('b', 8000);
    await cache.synthesize('a', 8000); // a is now the most recent
    await cache.synthesize('c', 8000); // evicts b
    expect(cache.stats.entries).toBe(2);
    await cache.synthesize('a', 8000);
    expect(inner.calls).toBe(3);
    await cache.synthesize('b', 8000);
    expect(inner.calls).toBe(4);

    const small = new CachedVoice(new CountingVoice(), { maxEntries: 100, maxBytes: 3 * 16 * 10 });
    for (const t of ['0123456789', 'abcdefghij', 'klmnopqrst', 'uvwxyzABCD']) await small.synthesize(t, 8000); // 160 bytes each
    expect(small.stats).toEqual({ entries: 3, bytes: 480 });
  });

  it('does not keep a failed synthesis', async () => {
    const inner = new CountingVoice();
    const cache = new CachedVoice(inner);
    inner.fail = true;
    await expect(cache.synthesize('hello', 8000)).rejects.toThrow('boom');
    inner.fail = false;
    expect((await cache.synthesize('hello', 8000)).length).toBe(40);
    expect(inner.calls).toBe(2);
  });
});

describe('createVoice', () => {
  it('makes the named voice, cached, and refuses unknown names', async () => {
    expect(createVoice('flite', resamplers).name).toBe('flite');
    const synthetic = createVoice('synthetic', resamplers);
    expect(await synthetic.synthesize('roses', 16000)).toEqual(synthesize('roses', 16000));
    expect(() => createVoice('polly' as 'flite', resamplers)).toThrow(RangeError);
  });

  it('says a message with the fallback voice when the primary fails', async () => {
    const failing = new CountingVoice();
    failing.fail = true;
    const voice = new FallbackVoice(failing, new SyntheticVoice());
    expect(await voice.synthesize('roses', 8000)).toEqual(synthesize('roses', 8000));
  });
});
