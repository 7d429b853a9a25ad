import type { BotDef } from './bot-model.js';
import { DialogEngine } from './dialog.js';
import type { Fault, FaultRule, Latency } from './faults.js';
import { takeFault } from './faults.js';
import type { EmulatedSession, SessionStore } from './session-store.js';
import { synthesize } from '../audio/speech-synth.js';
import type { Voice } from './voice/voice.js';
import { SyntheticVoice } from './voice/synthetic.js';
import type { ResamplerFactory } from '../audio/resampler.js';
import { concatInt16 } from '../audio/resampler.js';
import type { VadFactory } from '../audio/vad.js';
import { asInt16 } from '../audio/pcm.js';
import type { Res } from './http-util.js';

/** What the emulator heard in an utterance (the recognition stand-in, docs/emulator.md). */
export interface Recognition {
  transcript: string;
  /** In echo mode, the caller's audio to play back. */
  echo?: { pcm: Int16Array; rateHz: number };
}

/** Shared state and behaviour behind every runtime operation. */
export class LexCore {
  readonly engines = new Map<string, DialogEngine>();
  /** Requests held open by a `hang` fault, ended by `close()`. */
  readonly hung = new Set<Res>();
  /** Shift of the emulator's clock from `clock` (ms), set through the control API to test clock skew. */
  clockOffsetMs = 0;
  private readonly speech = new Map<string, Int16Array>();

  constructor(
    bots: BotDef[],
    readonly sessions: SessionStore,
    readonly resamplers: ResamplerFactory,
    readonly vad: VadFactory,
    readonly globalFaults: FaultRule[],
    readonly globalLatency: Latency,
    today: () => Date,
    /** When > 0, every spoken reply lasts exactly this long (benchmarks). */
    private readonly fixedReplyMs = 0,
    /** The emulator's clock (epoch ms): SigV4's 5-minute window and `Date` headers use it. */
    private readonly clock: () => number = Date.now,
    /** Speaks the bot's messages (src/emulator/voice/; it caches). */
    readonly voice: Voice = new SyntheticVoice(),
  ) {
    for (const b of bots) {
      const e = new DialogEngine(b, today);
      this.engines.set(`v1:${b.name}`, e);
      this.engines.set(`v2:${b.botId}`, e);
    }
  }

  /** The dialog engine for a V1 bot name or a V2 bot id. */
  engine(api: 'v1' | 'v2', bot: string): DialogEngine | undefined {
    return this.engines.get(`${api}:${bot}`);
  }

  /** The emulator's time, epoch ms. */
  now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  /** Session-specific latency falling back to the global setting. */
  latency(s: EmulatedSession): Latency {
    return { ...this.globalLatency, ...s.latency };
  }

  /** Consumes the next session or global fault that `accept` allows. */
  fault(s: EmulatedSession, accept: (f: Fault) => boolean): Fault | undefined {
    return takeFault(s.faults, accept) ?? takeFault(this.globalFaults, accept);
  }

  /** Recognition stand-in: the next scripted transcript, else echo, else nothing heard. */
  recognize(s: EmulatedSession, pcm: Buffer, rateHz: number): Recognition {
    const scripted = s.script.shift();
    if (s.echo) return { transcript: scripted ?? '', echo: { pcm: asInt16(Buffer.from(pcm)), rateHz } };
    return { transcript: scripted ?? '' };
  }

  /** Reply audio at `rateHz`: scripted override, echo, or `message` spoken by the voice. */
  async replyAudio(s: EmulatedSession, message: string | undefined, rateHz: number, rec?: Recognition): Promise<Int16Array> {
    if (s.replyAudio) {
      const pcm = s.replyAudio;
      s.replyAudio = undefined;
      return this.resample(pcm, 16000, rateHz);
    }
    if (rec?.echo) return this.resample(rec.echo.pcm, rec.echo.rateHz, rateHz);
    if (!message) return new Int16Array(0);
    if (this.fixedReplyMs > 0) return this.fixedReply(rateHz);
    return this.voice.synthesize(message, rateHz);
  }

  /** Speech-like audio of exactly `fixedReplyMs` (benchmarks). */
  private fixedReply(rateHz: number): Int16Array {
    const key = `fixed:${rateHz}`;
    let pcm = this.speech.get(key);
    if (!pcm) {
      const n = Math.round((this.fixedReplyMs * rateHz) / 1000);
      const src = synthesize('this is a reply of a fixed length for the benchmark '.repeat(Math.ceil(this.fixedReplyMs / 3000)), rateHz);
      pcm = new Int16Array(n);
      pcm.set(src.subarray(0, n));
      this.speech.set(key, pcm);
    }
    return pcm;
  }

  private resample(pcm: Int16Array, from: number, to: number): Int16Array {
    if (from === to) return pcm;
    const r = this.resamplers.create(from, to);
    try {
      return concatInt16([r.process(pcm), r.flush()]).subarray(0, Math.round((pcm.length * to) / from));
    } finally {
      r.close();
    }
  }
}
