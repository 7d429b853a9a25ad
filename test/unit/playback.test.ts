import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/audio/clock.js';
import { ResamplerFactory } from '../../src/audio/resampler.js';
import { Playback } from '../../src/session/playback.js';
import type { CallTransport } from '../../src/transports/transport.js';

function transport() {
  const frames: Buffer[] = [];
  const controls: string[] = [];
  const t: CallTransport = {
    platform: 'vonage',
    rateHz: 16000,
    sendFrame: (f) => (frames.push(Buffer.from(f)), true),
    clear: () => controls.push('clear'),
    mark: (n) => controls.push(`mark:${n}`),
    close: () => undefined,
  };
  return { t, frames, controls };
}

describe('Playback', () => {
  it('bounds the audio queued per call and counts what it drops', async () => {
    const clock = new ManualClock();
    const { t } = transport();
    let dropped = 0;
    const p = new Playback(t, await ResamplerFactory.load(), { clock, leadMs: 100, markTimeoutMs: 1000, maxQueuedMs: 1000, onFrame: (ok) => void (ok ? 0 : dropped++) });
    p.begin(16000);
    for (let i = 0; i < 30; i++) p.push(Buffer.alloc(3200)); // 3 s in 100 ms chunks, faster than real time
    expect(dropped).toBeGreaterThan(0);
    clock.advance(5000);
    p.close();
  });

  it('reports played only on the matching mark, cleared on clear, and played after the fallback when no mark comes', async () => {
    const clock = new ManualClock();
    const { t, controls, frames } = transport();
    const p = new Playback(t, await ResamplerFactory.load(), { clock, leadMs: 100, markTimeoutMs: 500 });
    p.begin(16000);
    p.push(Buffer.alloc(6400));
    const first = p.finish();
    clock.advance(400);
    expect(frames).toHaveLength(10);
    expect(controls).toEqual(['mark:reply-1']);
    p.onMark('reply-0'); // a stale mark changes nothing
    p.onMark('reply-1');
    expect(await first).toBe('played');
    p.begin(16000);
    p.push(Buffer.alloc(64000));
    const second = p.finish();
    p.clear();
    expect(await second).toBe('cleared');
    expect(controls).toContain('clear');
    p.begin(16000);
    p.push(Buffer.alloc(640));
    const third = p.finish();
    clock.advance(2000); // the platform never echoes: the fallback settles it
    expect(await third).toBe('played');
  });
});
