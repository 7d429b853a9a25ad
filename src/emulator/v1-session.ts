import type { LexCore } from './lex-core.js';
import type { EmulatedSession } from './session-store.js';
import { writeError, writeJson, type Exchange } from './http-util.js';
import { parseOutputContentType } from './content-types.js';
import { applyRequestFault } from './respond.js';
import { isError, notFound, resolve, type V1Operation } from './operations.js';
import { applyV1DialogAction, intentSummaries, stringMap } from './session-state.js';
import { recordTurn } from './v2-state.js';
import { V1_FAULTS, writeV1Answer } from './v1-runtime.js';
import { asBytes } from '../audio/pcm.js';

/** V1 `DialogAction` of a session (GetSession). */
function v1DialogAction(s: EmulatedSession): Record<string, unknown> {
  const d = s.dialog;
  const type = d.dialogAction.type === 'None' ? 'Close' : d.dialogAction.type;
  const message = s.last?.turn.message;
  return {
    type,
    intentName: d.intent?.name,
    slots: d.intent?.slots,
    slotToElicit: d.dialogAction.slotToElicit,
    fulfillmentState: type === 'Close' && d.intent ? (d.intent.state === 'Failed' ? 'Failed' : d.intent.state === 'ReadyForFulfillment' ? 'ReadyForFulfillment' : 'Fulfilled') : undefined,
    message,
    messageFormat: message ? 'PlainText' : undefined,
  };
}

/** The session, or the 404 Lex gives for a user without one. */
function existing(core: LexCore, x: Exchange, op: V1Operation): EmulatedSession | undefined {
  const s = core.sessions.peek(op.user);
  if (s?.active) return s;
  const e = notFound(op, `No session found for user ${op.user} of bot ${op.bot} and alias ${op.alias}`);
  writeError(x.res, e.status, e.code, e.message);
  return undefined;
}

/** GetSession (V1): the session's dialog action, attributes and recent intents. */
export async function getSessionV1(core: LexCore, x: Exchange, op: V1Operation): Promise<void> {
  const filter = new URL(x.req.url ?? '/', 'http://x').searchParams.get('checkpointLabelFilter') ?? undefined;
  const engine = resolve(core, op, [{ name: 'checkpointLabelFilter', value: filter, min: 1, max: 255, pattern: '[a-zA-Z0-9-]+' }]);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  const s = existing(core, x, op);
  if (!s || (await applyRequestFault(core, s, x.res, V1_FAULTS))) return;
  writeJson(x.res, 200, {
    recentIntentSummaryView: s.recentIntents.filter((r) => filter === undefined || r.checkpointLabel === filter),
    sessionAttributes: s.dialog.sessionAttributes,
    sessionId: s.v1SessionId,
    dialogAction: v1DialogAction(s),
    activeContexts: [],
  });
}

/** PutSession (V1): sets attributes, dialog action and recent intents; answers like PostContent. */
export async function putSessionV1(core: LexCore, x: Exchange, op: V1Operation): Promise<void> {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(x.body.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return writeError(x.res, 400, 'BadRequestException', 'Invalid JSON body');
  }
  const engine = resolve(core, op);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  const output = parseOutputContentType(x.req.headers['accept'] as string | undefined);
  if (!output || (output.kind === 'pcm' && output.rateHz !== 16000)) {
    return writeError(x.res, 406, 'NotAcceptableException', 'The emulator answers audio/pcm or text/plain only');
  }
  const attrs = input.sessionAttributes === undefined ? undefined : stringMap(input.sessionAttributes);
  if (input.sessionAttributes !== undefined && !attrs) return writeError(x.res, 400, 'BadRequestException', 'sessionAttributes must map strings to strings');
  const summaries = input.recentIntentSummaryView === undefined ? undefined : intentSummaries(input.recentIntentSummaryView);
  if (typeof summaries === 'string') return writeError(x.res, 400, 'BadRequestException', summaries);
  const s = core.sessions.get(op.user);
  if (await applyRequestFault(core, s, x.res, V1_FAULTS)) return;
  // Validate against a copy so a refused request changes nothing.
  const dialog = structuredClone(s.dialog);
  const bad = input.dialogAction === undefined ? undefined : applyV1DialogAction(engine, dialog, input.dialogAction);
  if (bad) return writeError(x.res, 400, 'BadRequestException', bad);
  if (attrs) dialog.sessionAttributes = attrs;
  s.dialog = dialog;
  const turn = engine.resume(dialog);
  const given = (input.dialogAction as { message?: unknown } | undefined)?.message;
  if (typeof given === 'string' && given) turn.message = given;
  recordTurn(s, turn, x.requestId);
  if (summaries) s.recentIntents = summaries;
  const audio = output.kind === 'pcm' ? asBytes(await core.replyAudio(s, turn.message, 16000)) : Buffer.alloc(0);
  await writeV1Answer(core, s, x, turn, audio, output.kind === 'text', false);
}

/** DeleteSession (V1): forgets the session's dialog. */
export async function deleteSessionV1(core: LexCore, x: Exchange, op: V1Operation): Promise<void> {
  const engine = resolve(core, op);
  if (isError(engine)) return writeError(x.res, engine.status, engine.code, engine.message);
  const s = existing(core, x, op);
  if (!s || (await applyRequestFault(core, s, x.res, V1_FAULTS))) return;
  const sessionId = s.v1SessionId;
  core.sessions.endLexSession(s);
  writeJson(x.res, 200, { botName: op.bot, botAlias: op.alias, userId: op.user, sessionId });
}
