import type { DialogOutcome } from '../bots/bot.js';
import { decideOutcome, type HandoffRules } from '../call/handoff-rules.js';

/** True for a session attribute value that asks to hang up (`nexmo-close`, as the original). */
function truthy(v: string | undefined): boolean {
  return v !== undefined && !['', '0', 'false', 'no'].includes(v.toLowerCase());
}

/**
 * The end-call rule, for every route: the call ends once the reply has played when the bot
 * set the `nexmo-close` session attribute, or when Lex ended the dialog (Close; V1 Fulfilled
 * or Failed) and `hangup_on_close` is on.
 */
export function endsCall(outcome: Pick<DialogOutcome, 'dialogClosed' | 'sessionAttributes'>, hangupOnClose: boolean): boolean {
  return truthy(outcome.sessionAttributes?.['nexmo-close']) || (hangupOnClose && outcome.dialogClosed);
}

/** How a reply ends the call once it has played: hang up (close 1000), or hand the caller to a human (`reason`: the rule). */
export type CallEnd = { kind: 'hangup' } | { kind: 'handoff'; reason: string };

/**
 * The one decision, per turn and on every route, of whether this reply ends the call: the
 * hand-off rules (`call/handoff-rules.ts`, the chat channel's own: `HANDOFF_INTENTS`,
 * `HANDOFF_ATTRIBUTE`) first, then the end-call rule. Undefined: the call goes on.
 */
export function callEndOf(outcome: DialogOutcome, hangupOnClose: boolean, rules: HandoffRules): CallEnd | undefined {
  const rule = decideOutcome(
    {
      sessionState: {
        dialogAction: { type: outcome.dialogState },
        intent: outcome.intentName ? { name: outcome.intentName, state: outcome.intentState } : undefined,
        sessionAttributes: outcome.sessionAttributes,
      },
    },
    rules,
  );
  if (rule.handoff) return { kind: 'handoff', reason: rule.reason };
  return endsCall(outcome, hangupOnClose) ? { kind: 'hangup' } : undefined;
}
