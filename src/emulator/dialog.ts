import type { BotDef, IntentDef } from './bot-model.js';
import { matchConfirmation, matchSlot, rankIntents } from './matcher.js';

/** Lex V2 `intent.state` values (a client may set any of them through the session state). */
export type IntentState = 'InProgress' | 'Fulfilled' | 'Failed' | 'ReadyForFulfillment' | 'Waiting' | 'FulfillmentInProgress';
/** Lex V2 `dialogAction.type` values (V1 has the same less `None`). */
export type DialogActionType = 'ElicitIntent' | 'ElicitSlot' | 'ConfirmIntent' | 'Close' | 'Delegate' | 'None';
/** Lex V1 `dialogState` values. */
export type V1DialogState = 'ElicitIntent' | 'ElicitSlot' | 'ConfirmIntent' | 'Fulfilled' | 'Failed' | 'ReadyForFulfillment';

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
  /** Other intents the input could mean, best first (V2 interpretations, V1 alternativeIntents). */
  alternatives: { name: string; score: number }[];
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
    const ranked = text ? rankIntents(this.bot, text, this.today()) : [];
    const t = this.interpret(state, text, (ranked[0]?.score ?? 0) >= 0.5 ? ranked[0] : undefined);
    t.alternatives = ranked.filter((r) => r.intent.name !== t.intentName).map((r) => ({ name: r.intent.name, score: round2(r.score) }));
    return t;
  }

  private interpret(state: DialogState, text: string, best: { intent: IntentDef; score: number } | undefined): Turn {
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
      if (filled === 0 && best && best.intent.name !== def.name && best.score >= 0.99) return this.begin(state, best.intent, text, best.score);
      return this.advance(state, def, text, filled ? 0.95 : 0.5);
    }
    const m = best;
    if (!m) {
      state.intent = undefined;
      state.dialogAction = { type: 'ElicitIntent' };
      return this.render(state, text, this.bot.fallbackMessage, true, 0);
    }
    return this.begin(state, m.intent, text, m.score);
  }

  /**
   * What the bot says next from a state a client set (PutSession, or a session state sent
   * with a request), without new input: `Delegate` lets the bot choose (elicit the next
   * missing slot, confirm, or fulfil); the other actions speak their own prompt.
   */
  resume(state: DialogState): Turn {
    const intent = state.intent;
    const def = intent && this.bot.intents.find((i) => i.name === intent.name);
    const a = state.dialogAction;
    if (!intent || !def) {
      if (a.type === 'Delegate' || a.type === 'ElicitSlot' || a.type === 'ConfirmIntent') state.dialogAction = { type: 'ElicitIntent' };
      return this.render(state, '', undefined, true, 0);
    }
    switch (a.type) {
      case 'Delegate':
        if (intent.state !== 'InProgress') intent.state = 'InProgress';
        return this.advance(state, def, '', 1);
      case 'ElicitSlot': {
        const slot = def.slots.find((s) => s.name === a.slotToElicit);
        return this.render(state, '', slot && fill(slot.prompt, intent.slots), slot?.allowInterrupt ?? true, 1);
      }
      case 'ConfirmIntent':
        return this.render(state, '', def.confirmationPrompt && fill(def.confirmationPrompt, intent.slots), true, 1);
      default:
        return this.render(state, '', undefined, true, 1);
    }
  }

  private intent(name: string): IntentDef {
    const def = this.bot.intents.find((i) => i.name === name);
    if (!def) throw new RangeError(`unknown intent ${name}`);
    return def;
  }

  private begin(state: DialogState, def: IntentDef, text: string, score: number): Turn {
    const slots: Record<string, string | null> = {};
    for (const s of def.slots) slots[s.name] = text ? (matchSlot(this.bot, s, text, this.today()) ?? null) : null;
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
      v1DialogState: v1DialogState(a.type, intentState),
      score,
      alternatives: [],
      sessionAttributes: { ...state.sessionAttributes },
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** V1 `dialogState` of a V2-style dialog action and intent state. */
export function v1DialogState(action: DialogActionType, intentState: IntentState | undefined): V1DialogState {
  switch (action) {
    case 'Close':
      return intentState === 'Failed' ? 'Failed' : intentState === 'ReadyForFulfillment' ? 'ReadyForFulfillment' : 'Fulfilled';
    case 'ElicitSlot':
    case 'ConfirmIntent':
      return action;
    default:
      return 'ElicitIntent';
  }
}
