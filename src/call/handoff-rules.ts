/**
 * Hand-off and close rules: a pure function from a Lex V2 RecognizeText (or
 * RecognizeUtterance / IntentResultEvent) result to what the channel should do next.
 * No I/O, no state: the chat channel and the voice routes (`session/end-call.ts`) use the
 * same function, so the same bot hands off the same way on every channel.
 */

/** The part of a Lex V2 response the rules read (structurally a `RecognizeTextResponse`). */
export interface LexOutcomeInput {
  sessionState?: {
    dialogAction?: { type?: string };
    intent?: { name?: string; state?: string };
    sessionAttributes?: Record<string, string>;
  };
}

/** Configurable rules (docs/chat.md "Hand-off and close rules", docs/handoff.md for voice). */
export interface HandoffRules {
  /** Intents that hand the conversation to a human (default `Agent`), in any intent state. */
  handoffIntents: string[];
  /** A session attribute set by the bot that hands off: any non-empty value, or exactly `value` when given. */
  handoffAttribute?: { name: string; value?: string };
  /** Intents that close the conversation when their state is in `closeIntentStates` (default `OrderFlowers`). */
  closeIntents: string[];
  /** Intent states that close for `closeIntents` (default `ReadyForFulfillment`, `Fulfilled`). */
  closeIntentStates: string[];
  /**
   * Dialog action `Close` from Lex: `never` (default: only the intent rules close),
   * `fulfilled` (close when the intent is `Fulfilled` or `ReadyForFulfillment`), `always`.
   */
  closeOnDialogClose: 'never' | 'fulfilled' | 'always';
}

/** What to do after a turn. `handoff` wins over `close`; `reason` is a stable, loggable string. */
export interface RuleOutcome {
  handoff: boolean;
  close: boolean;
  /** `handoff-intent:<name>`, `handoff-attribute:<name>`, `close-intent:<name>:<state>`, `dialog-close:<state>` or `continue`. */
  reason: string;
}

/** The defaults of the seed (Flex WebChat → Lex): `Agent` hands off, `OrderFlowers` ready for fulfilment closes. */
export const DEFAULT_HANDOFF_RULES: HandoffRules = {
  handoffIntents: ['Agent'],
  handoffAttribute: { name: 'handoff' },
  closeIntents: ['OrderFlowers'],
  closeIntentStates: ['ReadyForFulfillment', 'Fulfilled'],
  closeOnDialogClose: 'never',
};

const FULFILLED = new Set(['ReadyForFulfillment', 'Fulfilled']);
const FALSY = new Set(['', '0', 'false', 'no', 'none']);

/** Decides hand-off and close for one Lex response. Pure and total: any input gives an outcome. */
export function decideOutcome(response: LexOutcomeInput, rules: HandoffRules): RuleOutcome {
  const state = response.sessionState ?? {};
  const intentName = state.intent?.name ?? '';
  const intentState = state.intent?.state ?? '';
  if (intentName && rules.handoffIntents.includes(intentName)) {
    return { handoff: true, close: false, reason: `handoff-intent:${intentName}` };
  }
  const attr = rules.handoffAttribute;
  if (attr) {
    const v = state.sessionAttributes?.[attr.name];
    const hit = attr.value === undefined ? v !== undefined && !FALSY.has(v.trim().toLowerCase()) : v === attr.value;
    if (hit) return { handoff: true, close: false, reason: `handoff-attribute:${attr.name}` };
  }
  if (intentName && rules.closeIntents.includes(intentName) && rules.closeIntentStates.includes(intentState)) {
    return { handoff: false, close: true, reason: `close-intent:${intentName}:${intentState}` };
  }
  if (state.dialogAction?.type === 'Close') {
    if (rules.closeOnDialogClose === 'always' || (rules.closeOnDialogClose === 'fulfilled' && FULFILLED.has(intentState))) {
      return { handoff: false, close: true, reason: `dialog-close:${intentState || 'none'}` };
    }
  }
  return { handoff: false, close: false, reason: 'continue' };
}

/**
 * Parses `name` or `name=value` (CHAT_HANDOFF_ATTRIBUTE); empty or `none` disables the rule.
 * Throws `RangeError` for a malformed value.
 */
export function parseAttributeRule(raw: string | undefined): HandoffRules['handoffAttribute'] | undefined {
  if (raw === undefined) return DEFAULT_HANDOFF_RULES.handoffAttribute;
  const s = raw.trim();
  if (s === '' || s === 'none') return undefined;
  const m = /^([A-Za-z0-9_.:-]{1,100})(?:=(.{1,1024}))?$/.exec(s);
  if (!m) throw new RangeError('must be name or name=value');
  return m[2] === undefined ? { name: m[1] } : { name: m[1], value: m[2] };
}
