import type { LexCore } from './lex-core.js';
import type { EmulatedSession } from './session-store.js';
import { gzb64json, writeError, writeJson, type Exchange } from './http-util.js';
import { parseOutputContentType } from './content-types.js';
import { applyRequestFault } from './respond.js';
import { isError, notFound, resolve, type V2Operation } from './operations.js';
import { stringMap } from './session-state.js';
import { applyStateAtomically, V2_FAULTS, writeV2Answer } from './v2-runtime.js';
import { recordTurn, v2DialogSessionState, v2Interpretations, v2Messages, v2SessionState } from './v2-state.js';
import { asBytes } from '../audio/pcm.js';

/** The session, or the 404 Lex gives for a session id without one. */
function existing(core: LexCore, x: Exchange, op: V2Operation): EmulatedSession | undefined {
  const s = core.sessions.peek(op.sessionId);
  if (s?.active) return s;
  const e = notFound(op, `Session ${op.sessionId} not found for bot ${op.botId}, alias ${op.aliasId} and locale ${op.localeId}`);
  writeError(x.res, e.status, e.code, e.message);
  return undefined;
}

/** GetSession (V2): the session state and the last turn's messages and interpretations. */
export async function getSessionV2(core: LexCore, x: Exchange, op: V2Operation): Promise<void> {
  const engine = resolve(core, op);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  const s = existing(core, x, op);
  if (!s || (await applyRequestFault(core, s, x.res, V2_FAULTS))) return;
  writeJson(x.res, 200, {
    sessionId: op.sessionId,
    messages: s.last ? v2Messages(s.last.turn) : [],
    interpretations: s.last ? v2Interpretations(s.last.turn) : [],
    sessionState: v2DialogSessionState(s.dialog, s.last?.requestId),
  });
}

/** A PutSession `messages` list: at most 10 messages with a content type. */
function messagesOf(raw: unknown): { contentType: string; content?: string }[] | string | undefined {
  if (raw === undefined) return undefined;
  const ok = Array.isArray(raw) && raw.length <= 10 && raw.every((m) => typeof m === 'object' && m !== null && typeof (m as { contentType?: unknown }).contentType === 'string');
  return ok ? (raw as { contentType: string; content?: string }[]) : 'messages must be a list of at most 10 messages, each with a contentType';
}

/** PutSession (V2): sets the session state; answers like RecognizeUtterance (headers, optional audio). */
export async function putSessionV2(core: LexCore, x: Exchange, op: V2Operation): Promise<void> {
  let input: { sessionState?: unknown; messages?: unknown; requestAttributes?: unknown };
  try {
    input = JSON.parse(x.body.body.toString('utf8') || '{}');
  } catch {
    return writeError(x.res, 400, 'ValidationException', 'Invalid JSON body');
  }
  const engine = resolve(core, op, [{ name: 'sessionState', value: input.sessionState, required: true }]);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  const output = parseOutputContentType(x.req.headers['responsecontenttype'] as string | undefined);
  if (!output) return writeError(x.res, 400, 'ValidationException', 'The emulator answers audio/pcm or text/plain only');
  const messages = messagesOf(input.messages);
  if (typeof messages === 'string') return writeError(x.res, 400, 'ValidationException', messages);
  const requestAttributes = input.requestAttributes === undefined ? undefined : stringMap(input.requestAttributes);
  if (input.requestAttributes !== undefined && !requestAttributes) return writeError(x.res, 400, 'ValidationException', 'requestAttributes must map strings to strings');
  const s = core.sessions.get(op.sessionId);
  if (await applyRequestFault(core, s, x.res, V2_FAULTS)) return;
  const bad = applyStateAtomically(engine, s, input.sessionState);
  if (bad) return writeError(x.res, 400, 'ValidationException', bad);
  const turn = engine.resume(s.dialog);
  if (messages?.length)
    turn.message =
      messages
        .map((m) => m.content ?? '')
        .filter(Boolean)
        .join(' ') || undefined;
  recordTurn(s, turn, x.requestId);
  const headers: Record<string, string> = {
    'x-amz-lex-session-id': op.sessionId,
    'x-amz-lex-messages': gzb64json(messages ?? v2Messages(turn)),
    'x-amz-lex-session-state': gzb64json(v2SessionState(turn, x.requestId)),
  };
  if (requestAttributes) headers['x-amz-lex-request-attributes'] = gzb64json(requestAttributes);
  const audio = output.kind === 'pcm' ? asBytes(await core.replyAudio(s, turn.message, output.rateHz)) : Buffer.alloc(0);
  await writeV2Answer(core, s, x, headers, audio, output.kind === 'text');
}

/** DeleteSession (V2): forgets the session's state. */
export async function deleteSessionV2(core: LexCore, x: Exchange, op: V2Operation): Promise<void> {
  const engine = resolve(core, op);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  const s = existing(core, x, op);
  if (!s || (await applyRequestFault(core, s, x.res, V2_FAULTS))) return;
  core.sessions.endLexSession(s);
  writeJson(x.res, 200, { botId: op.botId, botAliasId: op.aliasId, localeId: op.localeId, sessionId: op.sessionId });
}
