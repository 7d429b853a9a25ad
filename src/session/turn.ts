import type { DialogOutcome } from '../bots/bot.js';
import type { TurnInput } from '../call/call-events.js';
import type { CallEnd } from './end-call.js';

/** One bot turn in progress: when its stages happened (clock ms) and what the bot said. */
export class BotTurn {
  /** The bot's answer arrived (reply headers, or the first audio of a prompt). */
  answeredAt?: number;
  latencyMs?: number;
  dialog?: DialogOutcome;
  /** What the bot said, as text (Lex's message). */
  botMessage?: string;
  /** How this reply ends the call once played (`end-call.ts`); undefined: the call goes on. */
  end?: CallEnd;
  /** The caller interrupted this reply. */
  bargeIn = false;
  done = false;

  constructor(
    readonly input: TurnInput,
    /** The caller finished speaking or typing; undefined when the bot spoke first. */
    readonly inputEndedAt: number | undefined,
    /** The bot request started (per-utterance routes). */
    readonly requestStartedAt?: number,
  ) {}
}
