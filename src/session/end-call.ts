import type { DialogOutcome } from '../bots/bot.js';

/** True for a session attribute value that asks to hang up (`nexmo-close`, as the original). */
function truthy(v: string | undefined): boolean {
  return v !== undefined && !['', '0', 'false', 'no'].includes(v.toLowerCase());
}

/**
 * The end-call rule, for every route: the call ends once the reply has played when the bot
 * set the `nexmo-close` session attribute, or when Lex ended the dialog (Close; V1 Fulfilled
 * or Failed) and `hangup_on_close` is on. Rules that end a call another way (a hand-off)
 * belong beside it.
 */
export function endsCall(outcome: Pick<DialogOutcome, 'dialogClosed' | 'sessionAttributes'>, hangupOnClose: boolean): boolean {
  return truthy(outcome.sessionAttributes?.['nexmo-close']) || (hangupOnClose && outcome.dialogClosed);
}
