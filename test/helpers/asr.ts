import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An independent listener for the emulator's voice: CMU PocketSphinx (Debian packages
 * `pocketsphinx` and `pocketsphinx-en-us`, installed by `.ci/run`) with its general US
 * English acoustic model, language model and dictionary. Deterministic: the same
 * audio always gives the same words.
 */
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
const BATCH_DECODER = 'pocketsphinx_batch';

/** Why PocketSphinx cannot run here, or undefined when it can. */
export function pocketsphinxMissing(): string | undefined {
  if (!existsSync(`${MODEL_DIR}/en-us.lm.bin`)) return `no US English model in ${MODEL_DIR} (apt-get install pocketsphinx-en-us)`;
  try {
    execFileSync('sh', ['-c', `command -v ${BATCH_DECODER}`], { stdio: 'pipe' });
  } catch {
    return `${BATCH_DECODER} is not installed (apt-get install pocketsphinx)`;
  }
  return undefined;
}

/** A 16-bit mono RIFF/WAVE file of `pcm` at `rateHz`. */
export function wavFile(pcm: Int16Array, rateHz: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + pcm.byteLength, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rateHz, 24);
  h.writeUInt32LE(rateHz * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(pcm.byteLength, 40);
  return Buffer.concat([h, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}

/**
 * Transcribes 16 kHz PCM16 mono clips, one utterance each, in one run of
 * `pocketsphinx_batch` (whole-utterance decoding with batch cepstral mean
 * normalisation; the live mode of `pocketsphinx_continuous` misjudges telephone-band
 * audio). Returns the words heard in each clip, lower case.
 */
export function transcribe16k(clips: Int16Array[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'asr-'));
  try {
    const ids = clips.map((_, i) => `clip${i}`);
    for (const [i, pcm] of clips.entries()) writeFileSync(join(dir, `${ids[i]}.wav`), wavFile(pcm, 16000));
    writeFileSync(join(dir, 'ctl'), ids.join('\n') + '\n');
    const hypFile = join(dir, 'hyp');
    execFileSync(
      BATCH_DECODER,
      [
        ...['-adcin', 'yes', '-adchdr', '44', '-cepdir', dir, '-cepext', '.wav', '-ctl', join(dir, 'ctl'), '-hyp', hypFile],
        ...['-hmm', `${MODEL_DIR}/en-us`, '-lm', `${MODEL_DIR}/en-us.lm.bin`, '-dict', `${MODEL_DIR}/cmudict-en-us.dict`, '-logfn', '/dev/null'],
      ],
      { stdio: 'pipe' },
    );
    const heard = new Map<string, string>();
    for (const line of readFileSync(hypFile, 'utf8').split('\n')) {
      const m = /^(.*?)\s*\((\S+) -?\d+\)$/.exec(line);
      if (m) heard.set(m[2], m[1].trim());
    }
    return ids.map((id) => heard.get(id) ?? '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Words of `text` for scoring: lower case, no punctuation, hyphenated numbers split, "a.m."/"a m" as "am". */
export function scoringWords(text: string): string[] {
  const words = text
    .toLowerCase()
    .replace(/\b([ap])\.\s?m\./g, '$1m')
    .replace(/\(\d+\)/g, '') // PocketSphinx's alternate-pronunciation markers, e.g. "the(2)"
    .replace(/[^a-z0-9'\s-]/g, ' ')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const out: string[] = [];
  for (const w of words) {
    const prev = out.at(-1);
    if ((prev === 'a' || prev === 'p') && w === 'm') out[out.length - 1] = `${prev}m`;
    else out.push(w);
  }
  return out;
}

/** Word-level edit distance between a reference and a hypothesis (substitutions + deletions + insertions). */
export function wordErrors(reference: string[], hypothesis: string[]): number {
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[hypothesis.length];
}

/** Word error rate of `hypothesis` against `reference`, 0..(can exceed 1 with insertions). */
export function wordErrorRate(reference: string, hypothesis: string): { errors: number; words: number; wer: number } {
  const ref = scoringWords(reference);
  const errors = wordErrors(ref, scoringWords(hypothesis));
  return { errors, words: ref.length, wer: ref.length === 0 ? 0 : errors / ref.length };
}
