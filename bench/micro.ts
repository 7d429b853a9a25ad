import { createRequire } from 'node:module';
import libsamplerate from '@alexanderolsen/libsamplerate-js';

const { create: createSrc, ConverterType } = libsamplerate;
import waveResampler from 'wave-resampler';
import { VadFactory } from '../src/audio/vad.js';
import { ResamplerFactory } from '../src/audio/resampler.js';
import { Pacer } from '../src/audio/pacer.js';
import { ManualClock } from '../src/audio/clock.js';
import { synthesize } from '../src/audio/speech-synth.js';
import { mulawDecode, mulawEncode } from '../src/audio/mulaw.js';
import alawmulaw from 'alawmulaw';

const refMulaw = alawmulaw.mulaw;
import { table } from './lib/machine.js';

/** A block resampler under test: streaming when it can be, whole-signal otherwise. */
interface Candidate {
  name: string;
  streaming: boolean;
  make(inRate: number, outRate: number): Promise<(x: Int16Array) => Int16Array>;
}

function tone(f: number, ms: number, rate: number, amp = 10000): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * f * i) / rate));
  return out;
}

function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let acc = 0;
  for (let i = from; i < to; i++) acc += x[i] * x[i];
  return Math.sqrt(acc / Math.max(1, to - from));
}

/** SNR of a pure tone after resampling: fit sin/cos at `f`, compare with the residual (THD+N). */
function toneSnrDb(y: Int16Array, f: number, rate: number): number {
  const from = Math.floor(y.length * 0.1);
  const to = Math.floor(y.length * 0.9);
  let ss = 0,
    sc = 0,
    cc = 0,
    ys = 0,
    yc = 0;
  for (let i = from; i < to; i++) {
    const s = Math.sin((2 * Math.PI * f * i) / rate);
    const c = Math.cos((2 * Math.PI * f * i) / rate);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += y[i] * s;
    yc += y[i] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let sig = 0,
    res = 0;
  for (let i = from; i < to; i++) {
    const fit = a * Math.sin((2 * Math.PI * f * i) / rate) + b * Math.cos((2 * Math.PI * f * i) / rate);
    sig += fit * fit;
    res += (y[i] - fit) ** 2;
  }
  return 10 * Math.log10(sig / Math.max(1e-9, res));
}

function toInt16(x: ArrayLike<number>, scale = 1): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * scale)));
  return out;
}

async function candidates(): Promise<Candidate[]> {
  const list: Candidate[] = [];
  for (const q of [3, 6, 10]) {
    const f = await ResamplerFactory.load(q);
    list.push({
      name: `speex-wasm q${q}`,
      streaming: true,
      make: async (i, o) => {
        const r = f.create(i, o);
        return (x) => r.process(x);
      },
    });
  }
  for (const [label, type] of [
    ['SINC_FASTEST', ConverterType.SRC_SINC_FASTEST],
    ['SINC_MEDIUM', ConverterType.SRC_SINC_MEDIUM_QUALITY],
    ['SINC_BEST', ConverterType.SRC_SINC_BEST_QUALITY],
  ] as const) {
    list.push({
      name: `libsamplerate-js ${label}`,
      streaming: true,
      make: async (i, o) => {
        const src = await createSrc(1, i, o, { converterType: type });
        return (x) => {
          const f = new Float32Array(x.length);
          for (let k = 0; k < x.length; k++) f[k] = x[k] / 32768;
          return toInt16(src.full(f), 32768);
        };
      },
    });
  }
  list.push({
    name: 'wave-resampler sinc+LPF',
    streaming: false,
    make: async (i, o) => (x) => toInt16(waveResampler.resample(Array.from(x), i, o, { method: 'sinc', LPF: true }) as ArrayLike<number>),
  });
  // What the Python original did (audioop.ratecv: linear interpolation, no anti-aliasing filter).
  list.push({
    name: 'linear, no filter (original)',
    streaming: true,
    make: async (i, o) => (x) => {
      const n = Math.floor((x.length * o) / i);
      const out = new Int16Array(n);
      for (let k = 0; k < n; k++) {
        const p = (k * i) / o;
        const j = Math.floor(p);
        const t = p - j;
        out[k] = Math.round(x[j] * (1 - t) + (x[Math.min(j + 1, x.length - 1)] ?? 0) * t);
      }
      return out;
    },
  });
  return list;
}

async function resamplerBench(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const c of await candidates()) {
    // Quality: 16 kHz -> 8 kHz (Lex reply to an 8 kHz call).
    const alias = tone(5000, 2000, 16000);
    const pass = tone(1000, 2000, 16000);
    const run = async (x: Int16Array) => {
      const f = await c.make(16000, 8000);
      if (!c.streaming) return f(x);
      const parts: Int16Array[] = [];
      for (let o = 0; o < x.length; o += 320) parts.push(f(x.subarray(o, o + 320)));
      const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
    const mid = (y: Int16Array) => rms(y, Math.floor(y.length * 0.1), Math.floor(y.length * 0.9));
    // Attenuation of a tone; below one LSB of output the int16 floor is reported instead.
    const atten = (x: Int16Array, y: Int16Array) => (mid(y) < 0.5 ? `>${(20 * Math.log10(rms(x) / 0.5)).toFixed(0)} (int16 floor)` : (20 * Math.log10(rms(x) / mid(y))).toFixed(1));
    const yAlias = await run(alias);
    const yPass = await run(pass);
    const edgeStop = tone(4600, 2000, 16000);
    const edgePass = tone(3400, 2000, 16000);
    const yEdgeStop = await run(edgeStop);
    const yEdgePass = await run(edgePass);
    const stopbandDb = atten(alias, yAlias);
    const passbandDb = 20 * Math.log10(mid(yPass) / rms(pass));
    const snrDb = toneSnrDb(yPass, 1000, 8000);
    // Speed: one 20 ms block at a time (streaming), 16k->8k and 8k->16k.
    const speech16 = synthesize('the quick brown fox jumps over the lazy dog '.repeat(4), 16000);
    let usPerFrame = NaN;
    if (c.streaming) {
      const f = await c.make(16000, 8000);
      const frames = Math.floor(speech16.length / 320);
      for (let k = 0; k < 200; k++) f(speech16.subarray((k % frames) * 320, (k % frames) * 320 + 320));
      const t0 = performance.now();
      const N = 20000;
      for (let k = 0; k < N; k++) f(speech16.subarray((k % frames) * 320, (k % frames) * 320 + 320));
      usPerFrame = ((performance.now() - t0) * 1000) / N;
    } else {
      const f = await c.make(16000, 8000);
      const t0 = performance.now();
      f(speech16);
      usPerFrame = ((performance.now() - t0) * 1000) / (speech16.length / 320);
    }
    rows.push({
      resampler: c.name,
      streaming: c.streaming ? 'yes' : 'no',
      'stop 5kHz dB': stopbandDb,
      'stop 4.6kHz dB': atten(edgeStop, yEdgeStop),
      'pass 3.4kHz dB': (-20 * Math.log10(mid(yEdgePass) / rms(edgePass))).toFixed(2),
      'pass 1kHz dB': (-passbandDb).toFixed(2),
      'SNR 1kHz dB': snrDb.toFixed(1),
      'us/20ms frame': usPerFrame.toFixed(2),
    });
  }
  return rows;
}

async function vadBench(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const rate of [8000, 16000]) {
    const speech = synthesize('the quick brown fox jumps over the lazy dog', rate);
    const fs = rate / 50;
    const frames: Int16Array[] = [];
    for (let o = 0; o + fs <= speech.length; o += fs) frames.push(speech.slice(o, o + fs));
    const fv = (await VadFactory.load('fvad-wasm')).create(2, rate);
    const N = 50000;
    let t0 = performance.now();
    for (let k = 0; k < N; k++) fv.score(frames[k % frames.length], () => {});
    rows.push({ vad: 'fvad-wasm (sync)', rateHz: rate, 'us/frame': (((performance.now() - t0) * 1000) / N).toFixed(2), note: 'wall time per frame, main thread' });
    fv.close();
    let nodeVadOk = true;
    try {
      createRequire(import.meta.url)('node-vad');
    } catch {
      nodeVadOk = false;
    }
    if (!nodeVadOk) {
      rows.push({ vad: 'node-vad', rateHz: rate, 'us/frame': 'n/a', note: 'optional addon not built' });
      continue;
    }
    const nv = (await VadFactory.load('node-vad')).create(2, rate);
    const M = 20000;
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    await new Promise<void>((resolve) => {
      let left = M;
      for (let k = 0; k < M; k++)
        nv.score(frames[k % frames.length], () => {
          if (--left === 0) resolve();
        });
    });
    const wall = ((performance.now() - t0) * 1000) / M;
    const cpu = process.cpuUsage(cpu0);
    rows.push({ vad: 'node-vad (async, in order)', rateHz: rate, 'us/frame': wall.toFixed(2), note: `process CPU ${((cpu.user + cpu.system) / M).toFixed(2)} us/frame incl. thread pool` });
    nv.close();
  }
  return rows;
}

async function pacerBench(): Promise<Record<string, unknown>[]> {
  const clock = new ManualClock();
  let sent = 0;
  const pacer = new Pacer({ frameBytes: 640, leadMs: 100, clock, send: () => (sent++, true) });
  const N = 100000;
  const t0 = performance.now();
  for (let k = 0; k < N / 50; k++) {
    pacer.push(Buffer.alloc(640 * 50));
    clock.advance(1000);
  }
  return [{ component: 'pacer (push 1 s, advance 1 s)', frames: sent, 'us/frame': (((performance.now() - t0) * 1000) / sent).toFixed(3) }];
}

async function mulawBench(): Promise<Record<string, unknown>[]> {
  const pcm = synthesize('the quick brown fox jumps over the lazy dog', 8000);
  const frames = Math.floor(pcm.length / 160);
  const N = 200000;
  const time = (fn: (k: number) => void) => {
    for (let k = 0; k < 2000; k++) fn(k);
    const t0 = performance.now();
    for (let k = 0; k < N; k++) fn(k);
    return (((performance.now() - t0) * 1000) / N).toFixed(3);
  };
  const ulaw = mulawEncode(pcm);
  const outU = new Uint8Array(160);
  const outP = new Int16Array(160);
  return [
    {
      codec: 'table (src/audio/mulaw.ts)',
      'encode us/frame': time((k) => mulawEncode(pcm.subarray((k % frames) * 160, (k % frames) * 160 + 160), outU)),
      'decode us/frame': time((k) => mulawDecode(ulaw.subarray((k % frames) * 160, (k % frames) * 160 + 160), outP)),
    },
    {
      codec: 'alawmulaw 6.0.0',
      'encode us/frame': time((k) => refMulaw.encode(pcm.subarray((k % frames) * 160, (k % frames) * 160 + 160))),
      'decode us/frame': time((k) => refMulaw.decode(ulaw.subarray((k % frames) * 160, (k % frames) * 160 + 160))),
    },
  ];
}

/** Runs all micro-benchmarks; prints tables and returns the rows. */
export async function runMicro(): Promise<Record<string, unknown>> {
  console.log('\nVAD cost per 20 ms frame');
  const vad = await vadBench();
  table(vad);
  console.log('\nResamplers, 16 kHz -> 8 kHz (Lex reply to an 8 kHz call)');
  const resamplers = await resamplerBench();
  table(resamplers);
  console.log('\nµ-law, one 20 ms frame (160 samples)');
  const mulaw = await mulawBench();
  table(mulaw);
  console.log('\nPacer');
  const pacer = await pacerBench();
  table(pacer);
  return { vad, resamplers, mulaw, pacer };
}
