import { beforeAll, describe, expect, it } from 'vitest';
import { NoiseFloor } from '../../src/audio/vad/noise-floor.js';
import { Voice, VoiceGate, voiceGateFor } from '../../src/audio/vad/voice-gate.js';
import { Segmenter } from '../../src/audio/segmenter.js';
import { VadFactory } from '../../src/audio/vad.js';
import { addInto, dbfsToRms, toPcm16, whiteNoise } from '../../src/audio/noise.js';
import { babble, noisyCall, type Background, type Turn } from '../helpers/noisy-call.js';

const SEG = { silenceMs: 400, minSpeechMs: 200, maxUtteranceMs: 10000, preRollMs: 300 };

let vads: VadFactory;
beforeAll(async () => {
  vads = await VadFactory.load('fvad-wasm');
});

/** An utterance as the connector sends it: first sample sent, and the sample at which its end was decided. */
interface Sent {
  start: number;
  endAt: number;
  reason: string;
}

/** Runs PCM through the connector's detector (WebRTC VAD + segmenter with the voice gate for `sensitivity`). */
function segment(pcm: Int16Array, rateHz: number, sensitivity = 2): Sent[] {
  const vad = vads.create(sensitivity, rateHz);
  const seg = new Segmenter({ ...SEG, gate: voiceGateFor(sensitivity) });
  const fs = rateHz / 50;
  const out: Sent[] = [];
  for (let o = 0; o + fs <= pcm.length; o += fs) {
    const frame = pcm.slice(o, o + fs);
    vad.score(frame, (speech) => {
      const ev = seg.push(frame, speech);
      if (ev?.type === 'start') out.push({ start: o + fs - ev.frames.length * fs, endAt: -1, reason: '' });
      if (ev?.type === 'end') Object.assign(out[out.length - 1], { endAt: o + fs, reason: ev.reason });
    });
  }
  vad.close();
  return out;
}

const ms = (samples: number, rateHz: number) => (samples / rateHz) * 1000;
const TEXTS = ['I would like to order some flowers', 'roses please', 'tomorrow morning at ten', 'yes that is right'];

describe('NoiseFloor', () => {
  it('follows the background: falls at once, rises within one window, ignores short loud bursts', () => {
    const nf = new NoiseFloor(50, 1);
    for (let i = 0; i < 100; i++) nf.update(-50);
    expect(nf.floorDb).toBeCloseTo(-50, 5);
    for (let i = 0; i < 20; i++) nf.update(-20); // 400 ms of speech
    expect(nf.floorDb).toBeCloseTo(-50, 5);
    for (let i = 0; i < 70; i++) nf.update(-35); // the noise gets louder
    expect(nf.floorDb).toBeCloseTo(-35, 5);
    nf.update(-60);
    expect(nf.floorDb).toBeCloseTo(-60, 5);
  });
});

describe('VoiceGate', () => {
  it('passes speech well above the floor, not speech at the floor (a VAD saying "speech" on noise)', () => {
    const gate = new VoiceGate(voiceGateFor(2));
    for (let i = 0; i < 100; i++) expect(gate.classify(-45 + (i % 2) * 0.5, true, true)).toBe(Voice.None);
    expect(gate.classify(-25, true, true)).toBe(Voice.Onset);
    expect(gate.classify(-25, false, false)).toBe(Voice.None); // no VAD speech: never voice
  });
});

describe.each([8000, 16000])('utterance detection in noise at %i Hz (sample positions)', (rateHz) => {
  it.each([
    ['white', 20, 60],
    ['white', 10, 120],
    ['babble', 20, 120],
  ] as [Background, number, number][])('%s noise at %i dB SNR: every turn its own utterance, >= 200 ms pre-roll, end lag <= %i ms', (bg, snrDb, maxLagMs) => {
    const { pcm, turns } = noisyCall(TEXTS, rateHz, bg, snrDb);
    const sent = segment(pcm, rateHz);
    expect(sent).toHaveLength(turns.length); // no split, no merge, no false start
    sent.forEach((s: Sent, i: number) => {
      const t: Turn = turns[i];
      expect(s.reason).toBe('silence');
      expect(ms(t.onset - s.start, rateHz)).toBeGreaterThanOrEqual(200);
      // End lag beyond silence_time; negative when the speech's quiet tail is already under the noise.
      const lag = ms(s.endAt - t.offset, rateHz) - SEG.silenceMs;
      expect(lag).toBeLessThanOrEqual(maxLagMs);
      expect(s.endAt).toBeGreaterThan(t.offset); // never ended before the caller stopped
    });
  });

  it('babble alone (four talkers at -40 dBFS, 60 s) starts no utterance', () => {
    const x = babble(60 * rateHz, rateHz);
    for (let i = 0; i < x.length; i++) x[i] *= dbfsToRms(-40);
    expect(segment(toPcm16(x), rateHz)).toEqual([]);
  });

  it('white noise alone at -40 dBFS (60 s) starts no utterance, even at the most sensitive setting', () => {
    const x = new Float64Array(60 * rateHz);
    addInto(x, whiteNoise(x.length, 3), dbfsToRms(-40));
    expect(segment(toPcm16(x), rateHz, 0)).toEqual([]);
  });

  it('sensitivity 0 hears a caller only 8 dB over babble; sensitivity 3 takes most of it for background', () => {
    const { pcm, turns } = noisyCall(TEXTS, rateHz, 'babble', 8);
    expect(segment(pcm, rateHz, 0)).toHaveLength(turns.length);
    expect(segment(pcm, rateHz, 3).length).toBeLessThan(turns.length);
  });

  it('a caller over babble 20 dB down is heard; the same babble without the caller is not', () => {
    const { pcm } = noisyCall(['hello I need help with my order'], rateHz, 'babble', 20);
    expect(segment(pcm, rateHz)).toHaveLength(1);
    const { pcm: quiet } = noisyCall([], rateHz, 'babble', 20);
    expect(segment(quiet, rateHz)).toEqual([]);
  });
});
