import type { LexCore } from './lex-core.js';
import type { Turn } from './dialog.js';
import type { BodyInfo } from './http-util.js';
import { b64json, delay, fromB64json, writeError, writeJson, type Req, type Res } from './http-util.js';
import { parseInputContentType, parseOutputContentType } from './content-types.js';
import { applyRequestFault, writeAudioBody } from './respond.js';
import { asBytes } from '../audio/pcm.js';

const V1_FAULTS = { throttle: [429, 'LimitExceededException'], 500: [500, 'InternalFailureException'], 502: [502, 'BadGatewayException'], 503: [503, 'ServiceUnavailableException'], accessDenied: [403, 'AccessDeniedException'] } as const;

function v1Headers(turn: Turn, sessionId: string): Record<string, string> {
  const h: Record<string, string> = {
    'x-amz-lex-dialog-state': turn.v1DialogState,
    'x-amz-lex-session-id': sessionId,
    'x-amz-lex-bot-version': '$LATEST',
    'x-amz-lex-session-attributes': b64json(turn.sessionAttributes),
    'x-amz-lex-encoded-input-transcript': Buffer.from(turn.transcript).toString('base64'),
    'x-amz-lex-nlu-intent-confidence': b64json({ score: turn.score }),
  };
  if (turn.intentName) {
    h['x-amz-lex-intent-name'] = turn.intentName;
    h['x-amz-lex-slots'] = b64json(turn.slots);
  }
  if (turn.message) {
    h['x-amz-lex-encoded-message'] = Buffer.from(turn.message).toString('base64');
    h['x-amz-lex-message-format'] = 'PlainText';
  }
  if (turn.slotToElicit) h['x-amz-lex-slot-to-elicit'] = turn.slotToElicit;
  return h;
}

/** PostContent: audio or text in, audio (`audio/pcm`, 16 kHz) or text out. */
export async function postContent(core: LexCore, req: Req, res: Res, p: { bot: string; user: string }, b: BodyInfo): Promise<void> {
  const engine = core.engine('v1', p.bot);
  const { body, firstByteAt, lastByteAt } = b;
  if (!engine) return writeError(res, 404, 'NotFoundException', `Bot ${p.bot} not found`);
  const input = parseInputContentType(req.headers['content-type']);
  if (!input) return writeError(res, 415, 'UnsupportedMediaTypeException', 'Unsupported content type');
  const output = parseOutputContentType(req.headers['accept'] as string | undefined);
  if (!output || (output.kind === 'pcm' && output.rateHz !== 16000)) {
    return writeError(res, 406, 'NotAcceptableException', 'The emulator answers audio/pcm or text/plain only');
  }
  const s = core.sessions.get(p.user);
  if (await applyRequestFault(core, s, res, V1_FAULTS)) return;
  const attrs = fromB64json(req.headers['x-amz-lex-session-attributes']);
  if (attrs && typeof attrs === 'object') s.dialog.sessionAttributes = { ...(attrs as Record<string, string>) };
  let transcript: string;
  let rec;
  if (input.kind === 'text') {
    transcript = body.toString('utf8');
    s.events.push({ type: 'text', at: Date.now(), detail: { api: 'PostContent', text: transcript } });
  } else {
    rec = core.recognize(s, body, input.rateHz);
    transcript = rec.transcript;
    s.recordings.push({ api: 'PostContent', sampleRateHz: input.rateHz, pcm: body, firstByteAt, lastByteAt, transcript });
  }
  const turn = engine.turn(s.dialog, transcript);
  const audio = output.kind === 'pcm' ? asBytes(await core.replyAudio(s, turn.message, 16000, rec)) : Buffer.alloc(0);
  await delay(core.latency(s).processingDelayMs);
  (res as import('node:http').ServerResponse).writeHead(200, {
    'content-type': output.kind === 'pcm' ? 'audio/pcm' : 'text/plain;charset=utf-8',
    ...v1Headers(turn, p.user),
  });
  await writeAudioBody(core, s, res, audio);
}

/** PostText: JSON in, JSON out. */
export async function postText(core: LexCore, req: Req, res: Res, p: { bot: string; user: string }, b: BodyInfo): Promise<void> {
  const engine = core.engine('v1', p.bot);
  const { body } = b;
  if (!engine) return writeError(res, 404, 'NotFoundException', `Bot ${p.bot} not found`);
  let input: { inputText?: unknown; sessionAttributes?: Record<string, string> };
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    return writeError(res, 400, 'BadRequestException', 'Invalid JSON body');
  }
  if (typeof input.inputText !== 'string' || input.inputText.length < 1 || input.inputText.length > 1024) {
    return writeError(res, 400, 'BadRequestException', 'inputText must be 1-1024 characters');
  }
  const s = core.sessions.get(p.user);
  if (await applyRequestFault(core, s, res, V1_FAULTS)) return;
  if (input.sessionAttributes) s.dialog.sessionAttributes = { ...input.sessionAttributes };
  s.events.push({ type: 'text', at: Date.now(), detail: { api: 'PostText', text: input.inputText } });
  const turn = engine.turn(s.dialog, input.inputText);
  await delay(core.latency(s).processingDelayMs);
  writeJson(res, 200, {
    intentName: turn.intentName,
    nluIntentConfidence: { score: turn.score },
    slots: turn.intentName ? turn.slots : undefined,
    sessionAttributes: turn.sessionAttributes,
    message: turn.message,
    messageFormat: turn.message ? 'PlainText' : undefined,
    dialogState: turn.v1DialogState,
    slotToElicit: turn.slotToElicit,
    sessionId: p.user,
    botVersion: '$LATEST',
  });
}


