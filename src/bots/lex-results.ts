import type { Interpretation } from './bot.js';

/**
 * Reading the parts of Lex answers that the events and the hand-off carry (slots,
 * confidence, interpretations), for V1 and V2 alike. Pure; tolerant of anything malformed
 * (a field that cannot be read is left out, never an error).
 */

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined;
}

function score(v: unknown): number | undefined {
  const s = obj(v)?.score;
  return typeof s === 'number' && Number.isFinite(s) ? s : undefined;
}

/** A V2 slot's value: `value.interpretedValue` (lists joined with `, `), null when unfilled. */
function v2SlotValue(slot: unknown): string | null {
  const s = obj(slot);
  if (!s) return null;
  const value = obj(s.value);
  if (typeof value?.interpretedValue === 'string') return value.interpretedValue;
  if (Array.isArray(s.values)) {
    const parts = s.values.map(v2SlotValue).filter((x): x is string => x !== null);
    return parts.length ? parts.join(', ') : null;
  }
  return null;
}

/** V2 `intent.slots` as name -> interpreted value (null: not filled yet). */
export function v2Slots(slots: unknown): Record<string, string | null> | undefined {
  const s = obj(slots);
  if (!s) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(s)) out[k] = v2SlotValue(v);
  return out;
}

/** V2 `interpretations[]`: each intent with its NLU confidence when Lex gives one (`FallbackIntent` usually has none). */
export function v2Interpretations(raw: unknown): Interpretation[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Interpretation[] = [];
  for (const i of raw) {
    const name = obj(obj(i)?.intent)?.name;
    if (typeof name !== 'string') continue;
    const c = score(obj(i)?.nluConfidence);
    out.push(c === undefined ? { intentName: name } : { intentName: name, confidence: c });
  }
  return out;
}

/** The confidence of `intentName` among `interpretations`. */
export function confidenceOf(intentName: string | undefined, interpretations: Interpretation[] | undefined): number | undefined {
  return intentName ? interpretations?.find((i) => i.intentName === intentName)?.confidence : undefined;
}

/** Parses a V1 JSON-string header (`slots`, `nluIntentConfidence`, `alternativeIntents`, session attributes); undefined when absent or bad. */
export function v1Json(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return undefined;
  // The SDK hands these out as a boxed JSON string (`__AutomaticJsonStringConversion`), or a plain string.
  if (typeof v === 'object' && !(v instanceof String)) return v;
  try {
    return JSON.parse(String(v));
  } catch {
    return undefined;
  }
}

/** V1 `slots` (name -> value or null). */
export function v1Slots(v: unknown): Record<string, string | null> | undefined {
  const s = obj(v1Json(v));
  if (!s) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, val] of Object.entries(s)) out[k] = typeof val === 'string' ? val : null;
  return out;
}

/** V1 `nluIntentConfidence` and `alternativeIntents` as interpretations, the recognised intent first. */
export function v1Interpretations(intentName: string | undefined, confidence: unknown, alternatives: unknown): Interpretation[] | undefined {
  const out: Interpretation[] = [];
  const c = score(v1Json(confidence));
  if (intentName) out.push(c === undefined ? { intentName } : { intentName, confidence: c });
  const alts = v1Json(alternatives);
  if (Array.isArray(alts)) {
    for (const a of alts) {
      const name = obj(a)?.intentName;
      if (typeof name !== 'string') continue;
      const ac = score(obj(a)?.nluIntentConfidence);
      out.push(ac === undefined ? { intentName: name } : { intentName: name, confidence: ac });
    }
  }
  return out.length ? out : undefined;
}
