import type { ServerResponse } from 'node:http';
import type { LexCore } from './lex-core.js';
import type { Turn } from './dialog.js';
import type { EmulatedSession } from './session-store.js';
import { b64json, delay, fromB64json, headerSafe, writeError, writeJson, type Exchange } from './http-util.js';
import { parseInputContentType, parseOutputContentType } from './content-types.js';
import { applyRequestFault, writeAudioBody } from './respond.js';
import { isError, resolve, type V1Operation } from './operations.js';
import { stringMap } from './session-state.js';
import { CONSTRAINTS } from './validation.js';
import { recordTurn } from './v2-state.js';
import { asBytes } from '../audio/pcm.js';

/** V1 exception names per injected fault. */
export const V1_FAULTS = {
  throttle: [429, 'LimitExceededException'],
  500: [500, 'InternalFailureException'],
  502: [502, 'BadGatewayException'],
  503: [503, 'ServiceUnavailableException'],
  accessDenied: [403, 'AccessDeniedException'],
} as const;

/** V1 `alternativeIntents` (at most 4). */
function v1Alternatives(turn: Turn): { intentName: string; nluIntentConfidence: { score: number }; slots: Record<string, string> }[] {
  return turn.alternatives.slice(0, 4).map((a) => ({ intentName: a.name, nluIntentConfidence: { score: a.score }, slots: {} }));
}

/**
 * Response headers shared by PostContent and PutSession. Text goes base64-encoded in
 * `x-amz-lex-encoded-*` and, as Lex still does for English locales, plain in the deprecated
 * `x-amz-lex-message` / `x-amz-lex-input-transcript` when it is printable ASCII.
 */
function v1Headers(turn: Turn, s: EmulatedSession, withInput: boolean): Record<string, string> {
  const h: Record<string, string> = {
    'x-amz-lex-dialog-state': turn.v1DialogState,
    'x-amz-lex-session-id': s.v1SessionId,
    'x-amz-lex-session-attributes': b64json(turn.sessionAttributes),
  };
  if (withInput) {
    h['x-amz-lex-bot-version'] = '$LATEST';
    h['x-amz-lex-encoded-input-transcript'] = Buffer.from(turn.transcript).toString('base64');
    if (turn.transcript && headerSafe(turn.transcript)) h['x-amz-lex-input-transcript'] = turn.transcript;
    h['x-amz-lex-nlu-intent-confidence'] = b64json({ score: turn.score });
    if (turn.alternatives.length) h['x-amz-lex-alternative-intents'] = b64json(v1Alternatives(turn));
  }
  if (turn.intentName) {
    h['x-amz-lex-intent-name'] = turn.intentName;
    h['x-amz-lex-slots'] = b64json(turn.slots);
  }
  if (turn.message) {
    h['x-amz-lex-encoded-message'] = Buffer.from(turn.message).toString('base64');
    if (headerSafe(turn.message)) h['x-amz-lex-message'] = turn.message;
    h['x-amz-lex-message-format'] = 'PlainText';
  }
  if (turn.slotToElicit) h['x-amz-lex-slot-to-elicit'] = turn.slotToElicit;
  return h;
}

/** Writes a V1 audio-or-text answer (PostContent, PutSession): headers, then the reply audio. */
export async function writeV1Answer(core: LexCore, s: EmulatedSession, x: Exchange, turn: Turn, audio: Buffer, text: boolean, withInput: boolean): Promise<void> {
  await delay(core.latency(s).processingDelayMs);
  (x.res as ServerResponse).writeHead(200, { 'content-type': text ? 'text/plain;charset=utf-8' : 'audio/pcm', ...v1Headers(turn, s, withInput) });
  await writeAudioBody(core, s, x.res, audio);
}

/** PostContent: audio or text in, audio (`audio/pcm`, 16 kHz) or text out. */
export async function postContent(core: LexCore, x: Exchange, op: V1Operation): Promise<void> {
  const { req, res, body: b } = x;
  const engine = resolve(core, op);
  if (isError(engine)) return writeError(res, engine.status, engine.code, engine.message);
  const input = parseInputContentType(req.headers['content-type']);
  if (!input) return writeError(res, 415, 'UnsupportedMediaTypeException', 'Unsupported content type');
  const output = parseOutputContentType(req.headers['accept'] as string | undefined);
  if (!output || (output.kind === 'pcm' && output.rateHz !== 16000)) {
    return writeError(res, 406, 'NotAcceptableException', 'The emulator answers audio/pcm or text/plain only');
  }
  const text = input.kind === 'text' ? b.body.toString('utf8') : undefined;
  if (text !== undefined && [...text].length > CONSTRAINTS.text.max) {
    return writeError(res, 400, 'BadRequestException', `Text input must be at most ${CONSTRAINTS.text.max} characters.`);
  }
  const s = core.sessions.get(op.user);
  if (await applyRequestFault(core, s, res, V1_FAULTS)) return;
  const attrs = stringMap(fromB64json(req.headers['x-amz-lex-session-attributes']));
  if (attrs) s.dialog.sessionAttributes = attrs;
  let transcript: string;
  let rec;
  if (text !== undefined) {
    transcript = text;
    s.events.push({ type: 'text', at: Date.now(), detail: { api: 'PostContent', text } });
  } else {
    rec = core.recognize(s, b.body, input.kind === 'audio' ? input.rateHz : 16000);
    transcript = rec.transcript;
    s.recordings.push({ api: 'PostContent', sampleRateHz: input.kind === 'audio' ? input.rateHz : 16000, pcm: b.body, firstByteAt: b.firstByteAt, lastByteAt: b.lastByteAt, transcript });
  }
  const turn = engine.turn(s.dialog, transcript);
  recordTurn(s, turn, x.requestId);
  const audio = output.kind === 'pcm' ? asBytes(await core.replyAudio(s, turn.message, 16000, rec)) : Buffer.alloc(0);
  await writeV1Answer(core, s, x, turn, audio, output.kind === 'text', true);
}

/** PostText: JSON in, JSON out. */
export async function postText(core: LexCore, x: Exchange, op: V1Operation): Promise<void> {
  let input: { inputText?: unknown; sessionAttributes?: unknown };
  try {
    input = JSON.parse(x.body.body.toString('utf8') || '{}');
  } catch {
    return writeError(x.res, 400, 'BadRequestException', 'Invalid JSON body');
  }
  const engine = resolve(core, op, [{ name: 'inputText', value: input.inputText, required: true, ...CONSTRAINTS.text }]);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  if (typeof input.inputText !== 'string') return writeError(x.res, 400, 'BadRequestException', 'inputText must be a string');
  const attrs = input.sessionAttributes === undefined ? undefined : stringMap(input.sessionAttributes);
  if (input.sessionAttributes !== undefined && !attrs) return writeError(x.res, 400, 'BadRequestException', 'sessionAttributes must map strings to strings');
  const s = core.sessions.get(op.user);
  if (await applyRequestFault(core, s, x.res, V1_FAULTS)) return;
  if (attrs) s.dialog.sessionAttributes = attrs;
  s.events.push({ type: 'text', at: Date.now(), detail: { api: 'PostText', text: input.inputText } });
  const turn = engine.turn(s.dialog, input.inputText);
  recordTurn(s, turn, x.requestId);
  await delay(core.latency(s).processingDelayMs);
  const alternatives = v1Alternatives(turn);
  writeJson(x.res, 200, {
    intentName: turn.intentName,
    nluIntentConfidence: turn.intentName ? { score: turn.score } : undefined,
    alternativeIntents: alternatives.length ? alternatives : undefined,
    slots: turn.intentName ? turn.slots : undefined,
    sessionAttributes: turn.sessionAttributes,
    message: turn.message,
    messageFormat: turn.message ? 'PlainText' : undefined,
    dialogState: turn.v1DialogState,
    slotToElicit: turn.slotToElicit,
    sessionId: s.v1SessionId,
    botVersion: '$LATEST',
  });
}
