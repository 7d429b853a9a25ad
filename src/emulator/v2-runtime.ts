import type { BodyInfo } from './http-util.js';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { LexCore } from './lex-core.js';
import { delay, fromGzb64json, gzb64json, writeError, writeJson, type Req, type Res } from './http-util.js';
import { parseInputContentType, parseOutputContentType } from './content-types.js';
import { applyRequestFault, writeAudioBody } from './respond.js';
import { sessionAttributesOf, v2Interpretations, v2Messages, v2SessionState } from './v2-state.js';
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
export interface V2Params {
  botId: string;
  aliasId: string;
  localeId: string;
  sessionId: string;
}

/** RecognizeUtterance: audio or text in, audio (`audio/pcm`, 16 or 8 kHz) or text out; gzip+base64 headers. */
export async function recognizeUtterance(core: LexCore, req: Req, res: Res, p: V2Params, b: BodyInfo): Promise<void> {
  const engine = core.engine('v2', p.botId);
  const { body, firstByteAt, lastByteAt } = b;
  if (!engine) return writeError(res, 404, 'ResourceNotFoundException', `Bot ${p.botId} not found`);
  const input = parseInputContentType(req.headers['content-type']);
  if (!input) return writeError(res, 400, 'ValidationException', 'Unsupported requestContentType');
  const output = parseOutputContentType(req.headers['response-content-type'] as string | undefined);
  if (!output) return writeError(res, 400, 'ValidationException', 'The emulator answers audio/pcm or text/plain only');
  const s = core.sessions.get(p.sessionId);
  if (await applyRequestFault(core, s, res, V2_FAULTS)) return;
  const attrs = sessionAttributesOf(fromGzb64json(req.headers['x-amz-lex-session-state']));
  if (attrs) s.dialog.sessionAttributes = attrs;
  let transcript: string;
  let rec;
  let inputMode = 'Speech';
  if (input.kind === 'text') {
    transcript = body.toString('utf8');
    inputMode = /^[0-9*#]+$/.test(transcript) ? 'DTMF' : 'Text';
    s.events.push({ type: 'text', at: Date.now(), detail: { api: 'RecognizeUtterance', text: transcript } });
  } else {
    rec = core.recognize(s, body, input.rateHz);
    transcript = rec.transcript;
    s.recordings.push({ api: 'RecognizeUtterance', sampleRateHz: input.rateHz, pcm: body, firstByteAt, lastByteAt, transcript });
  }
  const turn = engine.turn(s.dialog, transcript);
  const requestId = randomUUID();
  const audio = output.kind === 'pcm' ? asBytes(await core.replyAudio(s, turn.message, output.rateHz, rec)) : Buffer.alloc(0);
  await delay(core.latency(s).processingDelayMs);
  (res as ServerResponse).writeHead(200, {
    'content-type': output.kind === 'pcm' ? 'audio/pcm' : 'text/plain;charset=utf-8',
    'x-amzn-requestid': requestId,
    'x-amz-lex-input-mode': inputMode,
    'x-amz-lex-session-id': p.sessionId,
    'x-amz-lex-messages': gzb64json(v2Messages(turn)),
    'x-amz-lex-interpretations': gzb64json(v2Interpretations(turn)),
    'x-amz-lex-session-state': gzb64json(v2SessionState(turn, requestId)),
    'x-amz-lex-input-transcript': gzb64json(transcript),
  });
  await writeAudioBody(core, s, res, audio);
}

/** RecognizeText: JSON in, JSON out. */
export async function recognizeText(core: LexCore, req: Req, res: Res, p: V2Params, b: BodyInfo): Promise<void> {
  const engine = core.engine('v2', p.botId);
  const { body } = b;
  if (!engine) return writeError(res, 404, 'ResourceNotFoundException', `Bot ${p.botId} not found`);
  let input: { text?: unknown; sessionState?: unknown; requestAttributes?: Record<string, string> };
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    return writeError(res, 400, 'ValidationException', 'Invalid JSON body');
  }
  if (typeof input.text !== 'string' || input.text.length < 1 || input.text.length > 1024) {
    return writeError(res, 400, 'ValidationException', 'text must be 1-1024 characters');
  }
  const s = core.sessions.get(p.sessionId);
  if (await applyRequestFault(core, s, res, V2_FAULTS)) return;
  const attrs = sessionAttributesOf(input.sessionState);
  if (attrs) s.dialog.sessionAttributes = attrs;
  s.events.push({ type: 'text', at: Date.now(), detail: { api: 'RecognizeText', text: input.text } });
  const turn = engine.turn(s.dialog, input.text);
  const requestId = randomUUID();
  await delay(core.latency(s).processingDelayMs);
  writeJson(res, 200, {
    sessionId: p.sessionId,
    messages: v2Messages(turn),
    sessionState: v2SessionState(turn, requestId),
    interpretations: v2Interpretations(turn),
    requestAttributes: input.requestAttributes,
  });
}
