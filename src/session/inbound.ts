import { FrameAssembler } from '../audio/framer.js';
import { frameBytes } from '../audio/pcm.js';
import type { Resampler, ResamplerFactory } from '../audio/resampler.js';

/**
 * The caller's audio on its way to the bot: 20 ms frames at the call rate in, 20 ms frames
 * at the bot's rate out (resampled and re-framed only when the rates differ).
 */
export class InboundAudio {
  private readonly resampler: Resampler | undefined;
  private readonly framer: FrameAssembler | undefined;

  constructor(resamplers: ResamplerFactory, callRateHz: number, botRateHz: number) {
    if (callRateHz === botRateHz) return;
    this.resampler = resamplers.create(callRateHz, botRateHz);
    this.framer = new FrameAssembler(frameBytes(botRateHz));
  }

  /** One caller frame; `emit` runs for each whole frame at the bot's rate (a fresh array the receiver may keep). */
  push(frame: Int16Array, emit: (frame: Int16Array) => void): void {
    if (!this.resampler || !this.framer) return emit(frame);
    this.framer.pushSamples(this.resampler.process(frame), emit);
  }

  close(): void {
    this.resampler?.close();
  }
}
