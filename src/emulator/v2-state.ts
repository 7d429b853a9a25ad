import type { Turn } from './dialog.js';

/** A V2 slot value as Lex renders it. */
function slotValue(v: string | null): unknown {
  return v === null ? null : { shape: 'Scalar', value: { originalValue: v, interpretedValue: v, resolvedValues: [v] } };
}

/** Lex V2 `Intent` of a turn. */
export function v2Intent(t: Turn): Record<string, unknown> | undefined {
  if (!t.intentName) return undefined;
  const slots: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.slots)) slots[k] = slotValue(v);
  return { name: t.intentName, slots, state: t.intentState, confirmationState: t.confirmationState };
}

/** Lex V2 `SessionState` of a turn. */
export function v2SessionState(t: Turn, requestId: string): Record<string, unknown> {
  return {
    dialogAction: { type: t.dialogActionType, ...(t.slotToElicit ? { slotToElicit: t.slotToElicit } : {}) },
    intent: v2Intent(t),
    sessionAttributes: t.sessionAttributes,
    originatingRequestId: requestId,
  };
}

/** Lex V2 `interpretations` of a turn. */
export function v2Interpretations(t: Turn): unknown[] {
  const intent = v2Intent(t) ?? { name: 'FallbackIntent', slots: {}, state: 'InProgress', confirmationState: 'None' };
  return [{ intent, nluConfidence: t.intentName ? { score: Math.round(t.score * 100) / 100 } : undefined, interpretationSource: 'Lex' }];
}

/** Lex V2 `messages` of a turn. */
export function v2Messages(t: Turn): unknown[] {
  return t.message ? [{ contentType: 'PlainText', content: t.message }] : [];
}

/** Sanity-checks a client-supplied sessionState's attributes (string map). */
export function sessionAttributesOf(state: unknown): Record<string, string> | undefined {
  const a = (state as { sessionAttributes?: unknown } | undefined)?.sessionAttributes;
  if (!a || typeof a !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a as Record<string, unknown>)) out[k] = String(v);
  return out;
}
