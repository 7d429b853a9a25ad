/** Parses a Lex request content type: the input audio rate, or text. Undefined when Lex would answer 415. */
export function parseInputContentType(ct: string | undefined): { kind: 'audio'; rateHz: number } | { kind: 'text' } | undefined {
  const v = (ct ?? '').toLowerCase().replace(/\s+/g, '');
  if (v.startsWith('text/plain')) return { kind: 'text' };
  if (v.startsWith('audio/l16') || v.startsWith('audio/x-l16')) return { kind: 'audio', rateHz: 16000 };
  // The short form `audio/lpcm; sample-rate=8000` is refused by Lex (boto3 #2396).
  if (v.startsWith('audio/lpcm') && v.includes('sample-rate=8000') && v.includes('sample-size-bits=16') && v.includes('is-big-endian=false')) {
    return { kind: 'audio', rateHz: 8000 };
  }
  return undefined;
}

/** Parses a response content type: PCM at a rate (16 kHz unless `sample-rate=8000`), or text. */
export function parseOutputContentType(accept: string | undefined): { kind: 'pcm'; rateHz: number } | { kind: 'text' } | undefined {
  const v = (accept ?? '').toLowerCase().replace(/\s+/g, '');
  if (v === '' || v.startsWith('text/plain')) return { kind: 'text' };
  if (v.startsWith('audio/pcm')) return { kind: 'pcm', rateHz: v.includes('sample-rate=8000') ? 8000 : 16000 };
  return undefined;
}
