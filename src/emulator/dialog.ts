import type { BotDef, IntentDef } from './bot-model.js';
import { matchConfirmation, matchIntent, matchSlot } from './matcher.js';

/** Lex V2 `intent.state` values the emulator produces. */
export type IntentState = 'InProgress' | 'Fulfilled' | 'Failed';
/** Lex V2 `dialogAction.type` values the emulator produces. */
export type DialogActionType = 'ElicitIntent' | 'ElicitSlot' | 'ConfirmIntent' | 'Close';
/** Lex V1 `dialogState` values the emulator produces. */
export type V1DialogState = 'ElicitIntent' | 'ElicitSlot' | 'ConfirmIntent' | 'Fulfilled' | 'Failed';

/** One session's dialog state (per bot and session id). */
export interface DialogState {
  intent?: {
    name: string;
    slots: Record<string, string | null>;
    state: IntentState;
    confirmationState: 'None' | 'Confirmed' | 'Denied';
  };
  dialogAction: { type: DialogActionType; slotToElicit?: string };
  sessionAttributes: Record<string, string>;
}

/** The outcome of one turn, in terms both runtimes can render. */
export interface Turn {
  transcript: string;
  intentName?: string;
  slots: Record<string, string | null>;
  intentState?: IntentState;
  confirmationState: 'None' | 'Confirmed' | 'Denied';
  dialogActionType: DialogActionType;
  slotToElicit?: string;
  /** Bot message to speak; undefined for none. */
  message?: string;
  /** Whether the caller may barge in on `message`. */
  interruptible: boolean;
  v1DialogState: V1DialogState;
  /** NLU confidence of the interpreted intent. */
  score: number;
  sessionAttributes: Record<string, string>;
}

/** A fresh dialog state. */
export function newDialogState(): DialogState {
  return { dialogAction: { type: 'ElicitIntent' }, sessionAttributes: {} };
}

function fill(template: string, slots: Record<string, string | null>): string {
  return template.replace(/\{(\w+)\}/g, (_, n: string) => slots[n] ?? n);
}

/**
 * A small Lex-like dialog manager: intent matching, slot elicitation, confirmation and
 * closing responses. Deterministic: the same inputs always give the same turn.
 */
export class DialogEngine {
  constructor(
    readonly bot: BotDef,
    private readonly today: () => Date = () => new Date(),
  ) {}

  /** Processes one input text (speech transcript, DTMF digits or typed text). */
  turn(state: DialogState, text: string): Turn {
    const active = state.intent && state.intent.state === 'InProgress' ? state.intent : undefined;
    if (active) {
      const def = this.intent(active.name);
      if (state.dialogAction.type === 'ConfirmIntent') {
        const c = matchConfirmation(text);
        if (c) active.confirmationState = c;
        return this.advance(state, def, text, c ? 1 : 0.4);
      }
      let filled = 0;
      for (const slot of def.slots) {
        const v = matchSlot(this.bot, slot, text, this.today());
        if (v !== undefined && (slot.name === state.dialogAction.slotToElicit || !active.slots[slot.name])) {
          active.slots[slot.name] = v;
          filled++;
        }
      }
      if (filled === 0) {
        const other = matchIntent(this.bot, text, this.today());
        if (other && other.intent.name !== def.name && other.score >= 0.99) return this.begin(state, other.intent, text, other.score);
      }
      return this.advance(state, def, text, filled ? 0.95 : 0.5);
    }
    const m = matchIntent(this.bot, text, this.today());
    if (!m) {
      state.intent = undefined;
      state.dialogAction = { type: 'ElicitIntent' };
      return this.render(state, text, this.bot.fallbackMessage, true, 0);
    }
    return this.begin(state, m.intent, text, m.score);
  }

  /** Starts `intentName` without input (Lex V2 `Delegate` / initial intent). */
  delegate(state: DialogState, intentName: string): Turn {
    return this.begin(state, this.intent(intentName), '', 1);
  }

  /** True when the bot has an intent of this name. */
  hasIntent(name: string): boolean {
    return this.bot.intents.some((i) => i.name === name);
  }

  private intent(name: string): IntentDef {
    const def = this.bot.intents.find((i) => i.name === name);
    if (!def) throw new RangeError(`unknown intent ${name}`);
    return def;
  }

  private begin(state: DialogState, def: IntentDef, text: string, score: number): Turn {
    const slots: Record<string, string | null> = {};
    for (const s of def.slots) slots[s.name] = text ? matchSlot(this.bot, s, text, this.today()) ?? null : null;
    state.intent = { name: def.name, slots, state: 'InProgress', confirmationState: 'None' };
    return this.advance(state, def, text, score);
  }

  private advance(state: DialogState, def: IntentDef, text: string, score: number): Turn {
    const intent = state.intent!;
    const missing = def.slots.find((s) => s.required && !intent.slots[s.name]);
    if (missing) {
      state.dialogAction = { type: 'ElicitSlot', slotToElicit: missing.name };
      return this.render(state, text, fill(missing.prompt, intent.slots), missing.allowInterrupt ?? true, score);
    }
    if (def.confirmationPrompt && intent.confirmationState === 'None') {
      state.dialogAction = { type: 'ConfirmIntent' };
      return this.render(state, text, fill(def.confirmationPrompt, intent.slots), true, score);
    }
    if (intent.confirmationState === 'Denied') {
      intent.state = 'Failed';
      state.dialogAction = { type: 'Close' };
      return this.render(state, text, def.declinationResponse && fill(def.declinationResponse, intent.slots), true, score);
    }
    intent.state = 'Fulfilled';
    state.dialogAction = { type: def.keepOpen ? 'ElicitIntent' : 'Close' };
    if (!def.keepOpen) Object.assign(state.sessionAttributes, def.sessionAttributesOnClose ?? {});
    return this.render(state, text, def.closingResponse && fill(def.closingResponse, intent.slots), true, score);
  }

  private render(state: DialogState, text: string, message: string | undefined, interruptible: boolean, score: number): Turn {
    const a = state.dialogAction;
    const intentState = state.intent?.state;
    let v1: V1DialogState = a.type === 'Close' ? (intentState === 'Failed' ? 'Failed' : 'Fulfilled') : a.type;
    if (a.type === 'ElicitIntent' && intentState === 'Fulfilled') v1 = 'ElicitIntent';
    return {
      transcript: text,
      intentName: state.intent?.name,
      slots: { ...(state.intent?.slots ?? {}) },
      intentState,
      confirmationState: state.intent?.confirmationState ?? 'None',
      dialogActionType: a.type,
      slotToElicit: a.slotToElicit,
      message,
      interruptible,
      v1DialogState: v1,
      score,
      sessionAttributes: { ...state.sessionAttributes },
    };
  }
}
