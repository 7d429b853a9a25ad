/** A reply as a simulated caller heard it: the frames between two playout marks. */
export interface HeardReply {
  /** Every audio message, in order (each should be exactly one 20 ms frame), as PCM16. */
  frames: Buffer[];
  /** Concatenated audio. */
  pcm: Buffer;
  /** Monotonic ms (performance.now) of the first frame. */
  firstFrameAt: number;
  /** The mark name the connector sent at the end. */
  mark: string;
}

/** Collects received frames into replies delimited by marks; `clear` starts over. */
export class ReplyCollector {
  readonly frames: { at: number; data: Buffer }[] = [];
  private replyStart = 0;
  private waiters: ((r: HeardReply) => void)[] = [];
  private replies: HeardReply[] = [];

  frame(data: Buffer): void {
    this.frames.push({ at: performance.now(), data });
  }

  /** Playback was cleared: frames so far belong to no reply. */
  cleared(): void {
    this.replyStart = this.frames.length;
  }

  /** A playout mark: everything since the last boundary is one reply. */
  marked(name: string): void {
    const frames = this.frames.slice(this.replyStart).map((f) => f.data);
    const reply: HeardReply = { frames, pcm: Buffer.concat(frames), firstFrameAt: this.frames[this.replyStart]?.at ?? performance.now(), mark: name };
    this.replyStart = this.frames.length;
    const w = this.waiters.shift();
    if (w) w(reply);
    else this.replies.push(reply);
  }

  /** Resolves with the next complete reply. */
  next(): Promise<HeardReply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once at least `n` frames have arrived. */
  async waitForFrames(n: number): Promise<void> {
    while (this.frames.length < n) await new Promise((r) => setTimeout(r, 5));
  }
}
