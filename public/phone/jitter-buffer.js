/**
 * The playback buffer of the page's output worklet: a ring of samples at the output rate,
 * written as the bot's 20 ms frames arrive and read 128 samples at a time by the audio
 * thread. Playback starts once `prebufferSamples` are queued (or a reply has ended, so a
 * short one is not held back), and a buffer that runs dry in the middle of a reply counts an
 * underrun, buffers again, and from then on waits for `growSamples` more (up to
 * `maxPrebufferSamples`): a late network costs a little delay once, not a stutter each time. `clear()` (barge-in) drops everything at once. Marks (Vonage
 * `notify`) are reported when the audio queued before them has been played.
 * Plain JavaScript with no imports: it runs in an AudioWorkletGlobalScope and in Node (tests).
 */
export class JitterBuffer {
  /**
   * @param {number} capacitySamples most samples held; more are dropped and counted as overflow
   * @param {number} prebufferSamples samples queued before playback starts
   * @param {number} [growSamples] added to the pre-buffer after each underrun
   * @param {number} [maxPrebufferSamples] the most the pre-buffer grows to
   */
  constructor(capacitySamples, prebufferSamples, growSamples = 0, maxPrebufferSamples = prebufferSamples) {
    this.ring = new Float32Array(capacitySamples);
    this.prebuffer = prebufferSamples;
    this.grow = growSamples;
    this.maxPrebuffer = maxPrebufferSamples;
    /** Absolute sample counts: everything written, everything read (played or cleared). */
    this.written = 0;
    this.read = 0;
    this.playing = false;
    /** @type {{ name: string, at: number }[]} */
    this.marks = [];
    this.stats = { playedSamples: 0, clears: 0, clearedSamples: 0, underruns: 0, overflowSamples: 0, marksPlayed: 0 };
  }

  /** Samples queued and not yet played. */
  get buffered() {
    return this.written - this.read;
  }

  /** Queues samples; those that do not fit are dropped (counted in `overflowSamples`). */
  write(samples) {
    const room = this.ring.length - this.buffered;
    const n = Math.min(room, samples.length);
    for (let i = 0; i < n; i++) this.ring[(this.written + i) % this.ring.length] = samples[i];
    this.written += n;
    this.stats.overflowSamples += samples.length - n;
    return n;
  }

  /** Asks to be told (by `pull`) once everything written so far has been played. */
  mark(name) {
    this.marks.push({ name, at: this.written });
  }

  /** Barge-in: drops every queued sample and pending mark at once; returns how many samples were dropped. */
  clear() {
    const dropped = this.buffered;
    this.read = this.written;
    this.marks = [];
    this.playing = false;
    this.stats.clears++;
    this.stats.clearedSamples += dropped;
    return dropped;
  }

  /**
   * Fills `out` with the next samples (silence when there are none) and returns the names of
   * the marks whose audio has now been played.
   * @param {Float32Array} out
   * @returns {string[]}
   */
  pull(out) {
    const replyEnded = this.marks.length > 0 && this.marks[this.marks.length - 1].at === this.written;
    if (!this.playing && this.buffered > 0 && (this.buffered >= this.prebuffer || replyEnded)) this.playing = true;
    let n = 0;
    if (this.playing) {
      n = Math.min(out.length, this.buffered);
      for (let i = 0; i < n; i++) out[i] = this.ring[(this.read + i) % this.ring.length];
      this.read += n;
      this.stats.playedSamples += n;
      if (n < out.length) {
        this.playing = false;
        // Dry before the end of the reply: the network did not keep up.
        if (!replyEnded) {
          this.stats.underruns++;
          this.prebuffer = Math.min(this.maxPrebuffer, this.prebuffer + this.grow);
        }
      }
    }
    out.fill(0, n);
    const played = [];
    while (this.marks.length > 0 && this.marks[0].at <= this.read) played.push(this.marks.shift().name);
    this.stats.marksPlayed += played.length;
    return played;
  }
}
