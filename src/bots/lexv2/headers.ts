import { gunzipSync, gzipSync } from 'node:zlib';

/** gzip + base64 of JSON: how Lex V2 carries sessionState and friends in headers (protocols.md §4.2). */
export function encodeV2Header(value: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(value))).toString('base64');
}

/** Decodes a gzip+base64 JSON header; a transcript may be a JSON string or raw text. */
export function decodeV2Header(value: string | undefined): unknown {
  if (!value) return undefined;
  let text: string;
  try {
    text = gunzipSync(Buffer.from(value, 'base64')).toString('utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
