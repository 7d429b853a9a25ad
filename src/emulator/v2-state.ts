import type { DialogState, Turn } from './dialog.js';
import type { EmulatedSession } from './session-store.js';

/** A V2 slot value as Lex renders it. */
function slotValue(v: string | null): unknown {
  return v === null ? null : { shape: 'Scalar', value: { originalValue: v, interpretedValue: v, resolvedValues: [v] } };
}

/** Lex V2 `Intent` of a dialog's current intent. */
function v2IntentOf(intent: DialogState['intent']): Record<string, unknown> | undefined {
  if (!intent) return undefined;
  const slots: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(intent.slots)) slots[k] = slotValue(v);
  return { name: intent.name, slots, state: intent.state, confirmationState: intent.confirmationState };
}

/** Lex V2 `Intent` of a turn. */
export function v2Intent(t: Turn): Record<string, unknown> | undefined {
  if (!t.intentName) return undefined;
  return v2IntentOf({ name: t.intentName, slots: t.slots, state: t.intentState ?? 'InProgress', confirmationState: t.confirmationState });
}

/** Lex V2 `SessionState` of a turn; `requestId` is the answering request's `x-amzn-RequestId`. */
export function v2SessionState(t: Turn, requestId: string): Record<string, unknown> {
  return {
    dialogAction: { type: t.dialogActionType, ...(t.slotToElicit ? { slotToElicit: t.slotToElicit } : {}) },
    intent: v2Intent(t),
    sessionAttributes: t.sessionAttributes,
    originatingRequestId: requestId,
  };
}

/** Lex V2 `SessionState` of a stored dialog (GetSession). */
export function v2DialogSessionState(d: DialogState, requestId: string | undefined): Record<string, unknown> {
  return {
    dialogAction: { type: d.dialogAction.type, ...(d.dialogAction.slotToElicit ? { slotToElicit: d.dialogAction.slotToElicit } : {}) },
    intent: v2IntentOf(d.intent),
    sessionAttributes: d.sessionAttributes,
    ...(requestId ? { originatingRequestId: requestId } : {}),
  };
}

/**
 * Lex V2 `interpretations` of a turn, at most 5: the interpreted intent with its
 * confidence, `FallbackIntent` (which Lex always lists, without a score), then the other
 * intents the input could mean, best first.
 */
export function v2Interpretations(t: Turn): unknown[] {
  const out: unknown[] = [];
  if (t.intentName) out.push({ intent: v2Intent(t), nluConfidence: { score: Math.round(t.score * 100) / 100 }, interpretationSource: 'Lex' });
  out.push({ intent: { name: 'FallbackIntent', slots: {}, ...(t.intentName ? {} : { state: 'InProgress', confirmationState: 'None' }) }, interpretationSource: 'Lex' });
  for (const a of t.alternatives) out.push({ intent: { name: a.name, slots: {} }, nluConfidence: { score: a.score }, interpretationSource: 'Lex' });
  return out.slice(0, 5);
}

/** Lex V2 `messages` of a turn. */
export function v2Messages(t: Turn): unknown[] {
  return t.message ? [{ contentType: 'PlainText', content: t.message }] : [];
}

/** Keeps a turn's answer for GetSession and V1's recent-intent view. */
export function recordTurn(s: EmulatedSession, t: Turn, requestId: string): void {
  s.active = true;
  s.last = { turn: t, requestId };
  if (!t.intentName) return;
  const summary = {
    intentName: t.intentName,
    slots: { ...t.slots },
    confirmationStatus: t.confirmationState,
    dialogActionType: t.dialogActionType === 'None' ? 'Close' : t.dialogActionType,
    ...(t.dialogActionType === 'Close' ? { fulfillmentState: t.v1DialogState === 'Failed' ? 'Failed' : t.v1DialogState === 'ReadyForFulfillment' ? 'ReadyForFulfillment' : 'Fulfilled' } : {}),
    ...(t.slotToElicit ? { slotToElicit: t.slotToElicit } : {}),
  };
  s.recentIntents = [summary, ...s.recentIntents.filter((r) => r.intentName !== t.intentName)].slice(0, 3);
}
