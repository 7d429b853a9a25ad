import type { ServerResponse } from 'node:http';
import type { LexCore } from './lex-core.js';
import type { Turn } from './dialog.js';
import type { EmulatedSession } from './session-store.js';
import { delay, fromGzb64json, gzb64json, writeError, writeJson, type Exchange } from './http-util.js';
import { parseInputContentType, parseOutputContentType } from './content-types.js';
import { applyRequestFault, writeAudioBody } from './respond.js';
import { isError, resolve, type V2Operation } from './operations.js';
import { applyV2SessionState, stringMap } from './session-state.js';
import { CONSTRAINTS } from './validation.js';
import { recordTurn, v2Interpretations, v2Messages, v2SessionState } from './v2-state.js';
import { asBytes } from '../audio/pcm.js';

/** V2 exception names per injected fault. */
export const V2_FAULTS = {
  throttle: [429, 'ThrottlingException'],
  500: [500, 'InternalServerException'],
  502: [502, 'BadGatewayException'],
  503: [503, 'ServiceUnavailableException'],
  accessDenied: [403, 'AccessDeniedException'],
} as const;

/** Path parameters of the V2 session operations. */
export type V2Params = Pick<V2Operation, 'botId' | 'aliasId' | 'localeId' | 'sessionId'>;

/**
 * Decodes a gzip+base64 JSON request header. `undefined` when absent; `null` when present
 * but not gzip+base64 JSON (AWS answers 400).
 */
function gzHeader(v: string | string[] | undefined): unknown {
  if (v === undefined || v === '') return undefined;
  return fromGzb64json(v) ?? null;
}

/** Writes a V2 audio-or-text answer (RecognizeUtterance, PutSession): gzip+base64 headers, then the reply audio. */
export async function writeV2Answer(core: LexCore, s: EmulatedSession, x: Exchange, headers: Record<string, string>, audio: Buffer, text: boolean): Promise<void> {
  await delay(core.latency(s).processingDelayMs);
  (x.res as ServerResponse).writeHead(200, { 'content-type': text ? 'text/plain;charset=utf-8' : 'audio/pcm', ...headers });
  await writeAudioBody(core, s, x.res, audio);
}

/** RecognizeUtterance: audio or text in, audio (`audio/pcm`, 16 or 8 kHz) or text out; gzip+base64 headers. */
export async function recognizeUtterance(core: LexCore, x: Exchange, op: V2Operation): Promise<void> {
  const { req, res, body: b } = x;
  const engine = resolve(core, op);
  if (isError(engine)) return writeError(res, engine.status, engine.code, engine.message);
  const input = parseInputContentType(req.headers['content-type']);
  if (!input) return writeError(res, 400, 'ValidationException', 'Unsupported requestContentType');
  const output = parseOutputContentType(req.headers['response-content-type'] as string | undefined);
  if (!output) return writeError(res, 400, 'ValidationException', 'The emulator answers audio/pcm or text/plain only');
  const state = gzHeader(req.headers['x-amz-lex-session-state']);
  const requestAttributes = gzHeader(req.headers['x-amz-lex-request-attributes']);
  if (state === null) return writeError(res, 400, 'ValidationException', 'x-amz-lex-session-state must be gzip-compressed, base64-encoded JSON.');
  if (requestAttributes !== undefined && !stringMap(requestAttributes)) {
    return writeError(res, 400, 'ValidationException', 'x-amz-lex-request-attributes must be gzip-compressed, base64-encoded JSON mapping strings to strings.');
  }
  const text = input.kind === 'text' ? b.body.toString('utf8') : undefined;
  if (text !== undefined && [...text].length > CONSTRAINTS.text.max) {
    return writeError(res, 400, 'ValidationException', `Text input must be at most ${CONSTRAINTS.text.max} characters.`);
  }
  const s = core.sessions.get(op.sessionId);
  if (await applyRequestFault(core, s, res, V2_FAULTS)) return;
  const bad = applyStateAtomically(engine, s, state);
  if (bad) return writeError(res, 400, 'ValidationException', bad);
  let transcript: string;
  let rec;
  let inputMode = 'Speech';
  if (text !== undefined) {
    transcript = text;
    inputMode = /^[0-9*#]+$/.test(text) ? 'DTMF' : 'Text';
    s.events.push({ type: 'text', at: Date.now(), detail: { api: 'RecognizeUtterance', text } });
  } else {
    const rateHz = input.kind === 'audio' ? input.rateHz : 16000;
    rec = core.recognize(s, b.body, rateHz);
    transcript = rec.transcript;
    s.recordings.push({ api: 'RecognizeUtterance', sampleRateHz: rateHz, pcm: b.body, firstByteAt: b.firstByteAt, lastByteAt: b.lastByteAt, transcript });
  }
  const turn = engine.turn(s.dialog, transcript);
  recordTurn(s, turn, x.requestId);
  const audio = output.kind === 'pcm' ? asBytes(await core.replyAudio(s, turn.message, output.rateHz, rec)) : Buffer.alloc(0);
  await writeV2Answer(core, s, x, v2Headers(turn, op.sessionId, x.requestId, requestAttributes, inputMode), audio, output.kind === 'text');
}

/** RecognizeUtterance's response headers. */
function v2Headers(turn: Turn, sessionId: string, requestId: string, requestAttributes: unknown, inputMode: string): Record<string, string> {
  const h: Record<string, string> = {
    'x-amz-lex-input-mode': inputMode,
    'x-amz-lex-session-id': sessionId,
    'x-amz-lex-messages': gzb64json(v2Messages(turn)),
    'x-amz-lex-interpretations': gzb64json(v2Interpretations(turn)),
    'x-amz-lex-session-state': gzb64json(v2SessionState(turn, requestId)),
    'x-amz-lex-input-transcript': gzb64json(turn.transcript),
  };
  if (requestAttributes !== undefined) h['x-amz-lex-request-attributes'] = gzb64json(requestAttributes);
  return h;
}

/** Applies a client session state to a copy of the dialog and keeps it only when valid. */
export function applyStateAtomically(engine: Parameters<typeof applyV2SessionState>[0], s: EmulatedSession, state: unknown): string | undefined {
  if (state === undefined) return undefined;
  const dialog = structuredClone(s.dialog);
  const bad = applyV2SessionState(engine, dialog, state);
  if (!bad) s.dialog = dialog;
  return bad;
}

/** RecognizeText: JSON in, JSON out. */
export async function recognizeText(core: LexCore, x: Exchange, op: V2Operation): Promise<void> {
  let input: { text?: unknown; sessionState?: unknown; requestAttributes?: unknown };
  try {
    input = JSON.parse(x.body.body.toString('utf8') || '{}');
  } catch {
    return writeError(x.res, 400, 'ValidationException', 'Invalid JSON body');
  }
  const engine = resolve(core, op, [{ name: 'text', value: input.text, required: true, ...CONSTRAINTS.text }]);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  if (typeof input.text !== 'string') return writeError(x.res, 400, 'ValidationException', 'text must be a string');
  const requestAttributes = input.requestAttributes === undefined ? undefined : stringMap(input.requestAttributes);
  if (input.requestAttributes !== undefined && !requestAttributes) return writeError(x.res, 400, 'ValidationException', 'requestAttributes must map strings to strings');
  const s = core.sessions.get(op.sessionId);
  if (await applyRequestFault(core, s, x.res, V2_FAULTS)) return;
  const bad = applyStateAtomically(engine, s, input.sessionState);
  if (bad) return writeError(x.res, 400, 'ValidationException', bad);
  s.events.push({ type: 'text', at: Date.now(), detail: { api: 'RecognizeText', text: input.text } });
  const turn = engine.turn(s.dialog, input.text);
  recordTurn(s, turn, x.requestId);
  await delay(core.latency(s).processingDelayMs);
  writeJson(x.res, 200, {
    sessionId: op.sessionId,
    messages: v2Messages(turn),
    sessionState: v2SessionState(turn, x.requestId),
    interpretations: v2Interpretations(turn),
    requestAttributes,
  });
}
