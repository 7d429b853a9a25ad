/** Level that digital silence counts as. */
const SILENCE_DB = -100;

/**
 * Tracks the background level of a call by minimum statistics: the lowest smoothed frame
 * level over a sliding window. Speech raises the level only briefly (pauses between
 * words fall back to the background), so the minimum follows the noise, stationary
 * (hiss, hum) or not (distant talkers), within one window when it rises and at once when
 * it falls. All levels are in dBFS.
 */
export class NoiseFloor {
  private readonly blockMins: Float64Array;
  private readonly blockFrames: number;
  private block = 0;
  private inBlock = 0;
  private filled = 0;
  private currentMin = Infinity;
  private smoothPower = -1;
  private readonly alpha: number;

  /**
   * @param windowFrames frames in the window (e.g. 80 = 1.6 s of 20 ms frames)
   * @param smoothFrames time constant, in frames, of the level smoothing before the minimum
   * @param blockFrames frames per block of the sliding minimum
   */
  constructor(windowFrames = 80, smoothFrames = 5, blockFrames = 10) {
    this.blockFrames = blockFrames;
    this.blockMins = new Float64Array(Math.max(1, Math.round(windowFrames / blockFrames))).fill(Infinity);
    this.alpha = 1 / Math.max(1, smoothFrames);
  }

  /** The current floor (dBFS); -Infinity before the first frame. */
  floorDb = -Infinity;

  /**
   * Feeds one frame's level (dBFS) and returns the floor. Digital silence (-Infinity: a
   * quiet µ-law line rounds to zero) counts as -100 dBFS.
   */
  update(levelDb: number): number {
    const power = 10 ** (Math.max(levelDb, SILENCE_DB) / 10);
    this.smoothPower = this.smoothPower < 0 ? power : this.smoothPower + this.alpha * (power - this.smoothPower);
    const smoothDb = 10 * Math.log10(this.smoothPower);
    if (smoothDb < this.currentMin) this.currentMin = smoothDb;
    if (++this.inBlock >= this.blockFrames) {
      this.blockMins[this.block] = this.currentMin;
      this.block = (this.block + 1) % this.blockMins.length;
      this.filled = Math.min(this.filled + 1, this.blockMins.length);
      this.inBlock = 0;
      this.currentMin = Infinity;
    }
    let floor = this.currentMin;
    for (let i = 0; i < this.filled; i++) if (this.blockMins[i] < floor) floor = this.blockMins[i];
    this.floorDb = floor;
    return floor;
  }
}
