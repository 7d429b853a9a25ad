/**
 * Microphone capture (AudioWorklet): the input at the audio context's rate, resampled to the
 * call rate (`processorOptions.rateHz`, 16000 or 8000) with a band-limited resampler, cut
 * into 20 ms frames of 16-bit little-endian PCM and posted to the page with each frame's RMS
 * level (dBFS). The page sends the frames on the call's WebSocket as binary messages.
 */
import { Resampler } from './resampler.js';

class LexCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const rateHz = options.processorOptions.rateHz;
    this.resampler = new Resampler(sampleRate, rateHz);
    this.frameSamples = rateHz / 50;
    this.frame = new Int16Array(this.frameSamples);
    this.fill = 0;
    this.sumSquares = 0;
    this.frames = 0;
  }

  process(inputs, outputs) {
    const input = inputs[0]?.[0];
    // Keep the node pulled (its output goes to a muted gain).
    for (const ch of outputs[0] ?? []) ch.fill(0);
    if (!input) return true;
    const pcm = this.resampler.process(input);
    for (let i = 0; i < pcm.length; i++) {
      const v = Math.max(-1, Math.min(1, pcm[i]));
      const s = Math.round(v * 32767);
      this.frame[this.fill++] = s;
      this.sumSquares += s * s;
      if (this.fill === this.frameSamples) this.flush();
    }
    return true;
  }

  flush() {
    const rms = Math.sqrt(this.sumSquares / this.frameSamples) / 32768;
    const levelDb = rms > 0 ? 20 * Math.log10(rms) : -120;
    this.frames++;
    this.port.postMessage({ type: 'frame', pcm: this.frame.buffer, levelDb, frames: this.frames }, [this.frame.buffer]);
    this.frame = new Int16Array(this.frameSamples);
    this.fill = 0;
    this.sumSquares = 0;
  }
}

registerProcessor('lex-capture', LexCapture);
