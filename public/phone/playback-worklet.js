/**
 * Reply playback (AudioWorklet): the bot's 16-bit PCM frames at the call rate, resampled to
 * the audio context's rate as they arrive, queued in a jitter buffer and played 128 samples
 * at a time. Messages from the page: `{type:'audio', pcm}` (an ArrayBuffer of Int16),
 * `{type:'mark', name}` (Vonage `notify`: answered with `{type:'played', name}` once the
 * audio before it has been played), `{type:'clear'}` (barge-in: the buffer is emptied at
 * once). It posts its counters (`{type:'stats', …}`) about ten times a second; the page shows
 * them and exposes them to tests.
 */
import { JitterBuffer } from './jitter-buffer.js';
import { Resampler } from './resampler.js';

/**
 * Audio queued before a reply starts playing: 60 ms absorbs network jitter (the connector keeps
 * about 100 ms ahead); each underrun adds 20 ms, up to 200 ms.
 */
const PREBUFFER_MS = 60;
const GROW_MS = 20;
const MAX_PREBUFFER_MS = 200;
/** The most audio held (the connector paces in real time, so this is never approached in a healthy call). */
const CAPACITY_S = 20;

class LexPlayback extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.rateHz = options.processorOptions.rateHz;
    this.resampler = new Resampler(this.rateHz, sampleRate);
    const ms = (n) => Math.round((sampleRate * n) / 1000);
    this.buffer = new JitterBuffer(sampleRate * CAPACITY_S, ms(PREBUFFER_MS), ms(GROW_MS), ms(MAX_PREBUFFER_MS));
    this.receivedSamples = 0;
    this.quanta = 0;
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  onMessage(msg) {
    switch (msg.type) {
      case 'audio': {
        const pcm = new Int16Array(msg.pcm);
        const f = new Float32Array(pcm.length);
        for (let i = 0; i < pcm.length; i++) f[i] = pcm[i] / 32768;
        this.receivedSamples += pcm.length;
        this.buffer.write(this.resampler.process(f));
        return;
      }
      case 'mark':
        return this.buffer.mark(msg.name);
      case 'clear':
        this.buffer.clear();
        this.resampler.reset();
        return this.postStats();
      default:
        return undefined;
    }
  }

  postStats() {
    const b = this.buffer;
    this.port.postMessage({ type: 'stats', rateHz: sampleRate, receivedSamples: this.receivedSamples, buffered: b.buffered, prebufferSamples: b.prebuffer, ...b.stats });
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const first = out[0];
    for (const name of this.buffer.pull(first)) this.port.postMessage({ type: 'played', name });
    for (let c = 1; c < out.length; c++) out[c].set(first);
    if (++this.quanta % 32 === 0) this.postStats();
    return true;
  }
}

registerProcessor('lex-playback', LexPlayback);
