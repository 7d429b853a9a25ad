import type { DialogOutcome } from '../bots/bot.js';

/** What ended the caller's side of a turn: speech, a DTMF entry, or nothing (the bot spoke first). */
export type TurnInput = 'speech' | 'dtmf' | 'none';

/** How a turn's reply ended: heard to the end, cut short (barge-in, a newer turn), or lost to an error. */
export type TurnOutcome = 'played' | 'interrupted' | 'failed';

/**
 * One completed bot turn as both sessions record it (`BaseSession.turnEnded`): the one place a
 * conversation-event sink plugs in. Transcripts are personal data: logged at debug only.
 */
export interface TurnRecord {
  input: TurnInput;
  transcript?: string;
  intentName?: string;
  dialogState?: string;
  /** End of the caller's input to the first reply frame sent, ms; absent without caller input or reply audio. */
  latencyMs?: number;
  outcome: TurnOutcome;
  /** The end-call rule fired: the call ends once this reply has played. */
  endsCall: boolean;
}

/** One bot turn in progress: when its stages happened (clock ms) and what the bot said. */
export class BotTurn {
  /** The bot's answer arrived (reply headers, or the first audio of a prompt). */
  answeredAt?: number;
  latencyMs?: number;
  dialog?: DialogOutcome;
  endsCall = false;
  done = false;

  constructor(
    readonly input: TurnInput,
    /** The caller finished speaking or typing; undefined when the bot spoke first. */
    readonly inputEndedAt: number | undefined,
    /** The bot request started (per-utterance routes). */
    readonly requestStartedAt?: number,
  ) {}
}
