/** Re-frames a byte stream into whole 20 ms frames (platforms may send any size). */
export class FrameAssembler {
  private carry: Buffer | undefined;
  private readonly frameSamples: number;

  constructor(private readonly frameBytes: number) {
    this.frameSamples = frameBytes / 2;
  }

  /** Calls `emit` with each whole frame as an Int16Array the receiver may keep. */
  push(data: Buffer, emit: (frame: Int16Array) => void): void {
    // The usual case, one aligned frame per message: a view, no copy (ws hands over
    // buffers that are not reused).
    if (!this.carry && data.length === this.frameBytes && data.byteOffset % 2 === 0) {
      emit(new Int16Array(data.buffer, data.byteOffset, this.frameSamples));
      return;
    }
    let buf = data;
    if (this.carry) {
      buf = Buffer.concat([this.carry, data]);
      this.carry = undefined;
    }
    let off = 0;
    for (; off + this.frameBytes <= buf.length; off += this.frameBytes) {
      const frame = new Int16Array(this.frameSamples);
      Buffer.from(frame.buffer).set(buf.subarray(off, off + this.frameBytes));
      emit(frame);
    }
    if (off < buf.length) this.carry = Buffer.from(buf.subarray(off));
  }

  /**
   * As `push`, for samples the caller will not touch again (decoded µ-law, resampler output):
   * exactly one frame with nothing carried over is handed on as it is.
   */
  pushSamples(samples: Int16Array, emit: (frame: Int16Array) => void): void {
    if (!this.carry && samples.length === this.frameSamples) return emit(samples);
    this.push(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength), emit);
  }
}
