import { createRequire } from 'node:module';
import type { EmscriptenModule } from './wasm-heap.js';
import { frameSamples } from './pcm.js';

/**
 * A voice-activity scorer: one decision per 20 ms frame, delivered in frame order.
 * Implementations wrap the WebRTC VAD algorithm; the decision logic (pre-roll,
 * hangover) lives in `Segmenter`.
 */
export interface VadScorer {
  /**
   * Scores a 20 ms frame (PCM16 at the scorer's rate). `done` gets the decision and the
   * frame back (so one function per call serves every frame), synchronously for
   * fvad-wasm and later, but always in frame order, for node-vad.
   */
  score(frame: Int16Array, done: (speech: boolean, frame: Int16Array) => void): void;
  /** Releases native or WASM memory; idempotent. */
  close(): void;
}

/** Names of the VAD implementations (`VAD_ENGINE`); docs/audio.md has the measurements. */
export type VadEngine = 'fvad-wasm' | 'node-vad';

interface FvadModule extends EmscriptenModule {
  _fvad_new(): number;
  _fvad_free(h: number): void;
  _fvad_set_mode(h: number, mode: number): number;
  _fvad_set_sample_rate(h: number, rate: number): number;
  _fvad_process(h: number, ptr: number, samples: number): number;
}

/** WebRTC VAD (libfvad) compiled to WASM: synchronous, a couple of µs per frame. */
class FvadScorer implements VadScorer {
  private handle: number;
  private readonly ptr: number;
  private readonly samples: number;

  constructor(
    private readonly m: FvadModule,
    mode: number,
    rateHz: number,
  ) {
    this.handle = m._fvad_new();
    if (m._fvad_set_mode(this.handle, mode) !== 0 || m._fvad_set_sample_rate(this.handle, rateHz) !== 0) {
      m._fvad_free(this.handle);
      throw new RangeError(`unsupported VAD mode ${mode} or rate ${rateHz}`);
    }
    this.samples = frameSamples(rateHz);
    this.ptr = m._malloc(this.samples * 2);
  }

  score(frame: Int16Array, done: (speech: boolean, frame: Int16Array) => void): void {
    if (this.handle === 0) return;
    this.m.HEAP16.set(frame.length === this.samples ? frame : frame.subarray(0, this.samples), this.ptr >> 1);
    done(this.m._fvad_process(this.handle, this.ptr, this.samples) === 1, frame);
  }

  close(): void {
    if (this.handle === 0) return;
    this.m._fvad_free(this.handle);
    this.m._free(this.ptr);
    this.handle = 0;
  }
}

interface NodeVad {
  processAudio(buf: Buffer, rate: number): Promise<number>;
}

/**
 * node-vad: the same WebRTC VAD as a native addon whose only API is asynchronous (a
 * libuv thread-pool job per frame). Frames are queued so decisions keep their order.
 */
class NodeVadScorer implements VadScorer {
  private readonly queue: { frame: Int16Array; done: (speech: boolean, frame: Int16Array) => void }[] = [];
  private busy = false;
  private closed = false;

  constructor(
    private readonly vad: NodeVad,
    private readonly rateHz: number,
  ) {}

  score(frame: Int16Array, done: (speech: boolean, frame: Int16Array) => void): void {
    if (this.closed) return;
    this.queue.push({ frame, done });
    if (!this.busy) this.next();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private next(): void {
    const item = this.queue.shift();
    if (!item || this.closed) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const buf = Buffer.from(item.frame.buffer, item.frame.byteOffset, item.frame.byteLength);
    this.vad.processAudio(buf, this.rateHz).then(
      (event) => {
        if (!this.closed) item.done(event === 1, item.frame);
        this.next();
      },
      () => {
        if (!this.closed) item.done(false, item.frame);
        this.next();
      },
    );
  }
}

let fvadModule: Promise<FvadModule> | undefined;

function loadFvad(): Promise<FvadModule> {
  fvadModule ??= import('@echogarden/fvad-wasm').then((m) => (m.default as () => Promise<FvadModule>)());
  return fvadModule;
}

/** Creates VAD scorers; holds the loaded engine so each call only allocates a handle. */
export class VadFactory {
  private constructor(
    readonly engine: VadEngine,
    private readonly fvad?: FvadModule,
    private readonly NodeVadClass?: new (mode: number) => NodeVad,
  ) {}

  /** Loads an engine. node-vad is an optional dependency: loading it throws when it did not build. */
  static async load(engine: VadEngine = 'fvad-wasm'): Promise<VadFactory> {
    if (engine === 'fvad-wasm') return new VadFactory(engine, await loadFvad());
    const require = createRequire(import.meta.url);
    return new VadFactory(engine, undefined, require('node-vad') as new (mode: number) => NodeVad);
  }

  /** A scorer for `mode` (0 most sensitive to 3 least) at `rateHz` (8000 or 16000). */
  create(mode: number, rateHz: number): VadScorer {
    if (this.fvad) return new FvadScorer(this.fvad, mode, rateHz);
    return new NodeVadScorer(new this.NodeVadClass!(mode), rateHz);
  }
}
