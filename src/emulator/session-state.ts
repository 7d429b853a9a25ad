import type { DialogActionType, DialogEngine, DialogState, IntentState } from './dialog.js';
import type { IntentSummary } from './session-store.js';

const V2_ACTIONS: readonly DialogActionType[] = ['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot', 'None'];
const V1_ACTIONS: readonly DialogActionType[] = ['ElicitIntent', 'ConfirmIntent', 'ElicitSlot', 'Close', 'Delegate'];
const INTENT_STATES: readonly IntentState[] = ['Failed', 'Fulfilled', 'InProgress', 'ReadyForFulfillment', 'Waiting', 'FulfillmentInProgress'];
const CONFIRMATION = ['None', 'Confirmed', 'Denied'] as const;
type Confirmation = (typeof CONFIRMATION)[number];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string map as Lex carries attributes; undefined when `v` is not one. */
export function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}

/** A V2 slot value (`{value:{interpretedValue}}`) as the dialog keeps it. */
function v2SlotValue(slot: unknown): string | null {
  if (!isObject(slot) || !isObject(slot.value)) return null;
  const v = slot.value.interpretedValue ?? slot.value.originalValue;
  return typeof v === 'string' && v ? v : null;
}

/** Checks an intent and its slots against the bot; the message of the 400 otherwise. */
function checkIntent(engine: DialogEngine, name: unknown, slots: Record<string, unknown>, slotToElicit?: unknown): string | undefined {
  if (typeof name !== 'string' || !name) return 'Intent name must be a non-empty string.';
  const def = engine.bot.intents.find((i) => i.name === name);
  if (!def) return `Intent ${name} does not exist in bot ${engine.bot.name}.`;
  for (const s of Object.keys(slots)) if (!def.slots.some((d) => d.name === s)) return `Slot ${s} does not exist in intent ${name}.`;
  if (slotToElicit !== undefined && !def.slots.some((d) => d.name === slotToElicit)) return `Slot ${String(slotToElicit)} does not exist in intent ${name}.`;
  return undefined;
}

function slotsOf(engine: DialogEngine, name: string, given: Record<string, string | null>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const s of engine.bot.intents.find((i) => i.name === name)?.slots ?? []) out[s.name] = given[s.name] ?? null;
  return out;
}

/**
 * Applies a V2 `SessionState` a client sent (RecognizeText, RecognizeUtterance's
 * `x-amz-lex-session-state`, PutSession, a ConfigurationEvent) to the dialog: each of
 * `sessionAttributes`, `dialogAction` and `intent` present replaces the stored one; absent
 * ones are kept. Returns the message of a 400 `ValidationException` when the state is invalid.
 */
export function applyV2SessionState(engine: DialogEngine, dialog: DialogState, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) return 'sessionState must be an object.';
  const attrs = raw.sessionAttributes === undefined ? undefined : stringMap(raw.sessionAttributes);
  if (raw.sessionAttributes !== undefined && !attrs) return 'sessionState.sessionAttributes must map strings to strings.';
  const action = raw.dialogAction;
  if (action !== undefined && (!isObject(action) || !V2_ACTIONS.includes(action.type as DialogActionType))) {
    return `sessionState.dialogAction.type must be one of ${V2_ACTIONS.join(', ')}.`;
  }
  const intent = raw.intent;
  if (intent !== undefined) {
    if (!isObject(intent)) return 'sessionState.intent must be an object.';
    const slots = intent.slots === undefined ? {} : intent.slots;
    if (!isObject(slots)) return 'sessionState.intent.slots must be an object.';
    const bad = checkIntent(engine, intent.name, slots, action?.type === 'ElicitSlot' ? action.slotToElicit : undefined);
    if (bad) return bad;
    if (intent.state !== undefined && !INTENT_STATES.includes(intent.state as IntentState)) return `sessionState.intent.state must be one of ${INTENT_STATES.join(', ')}.`;
    if (intent.confirmationState !== undefined && !CONFIRMATION.includes(intent.confirmationState as Confirmation)) {
      return `sessionState.intent.confirmationState must be one of ${CONFIRMATION.join(', ')}.`;
    }
    const values: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(slots)) values[k] = v2SlotValue(v);
    dialog.intent = {
      name: intent.name as string,
      slots: slotsOf(engine, intent.name as string, values),
      state: (intent.state as IntentState | undefined) ?? 'InProgress',
      confirmationState: (intent.confirmationState as Confirmation | undefined) ?? 'None',
    };
  } else if (action?.type === 'ElicitSlot' && !dialog.intent) {
    return 'sessionState.dialogAction ElicitSlot needs sessionState.intent.';
  }
  if (isObject(action)) {
    const slotToElicit = action.type === 'ElicitSlot' && typeof action.slotToElicit === 'string' ? action.slotToElicit : undefined;
    if (action.type === 'ElicitSlot' && !slotToElicit) return 'sessionState.dialogAction.slotToElicit is required for ElicitSlot.';
    dialog.dialogAction = { type: action.type as DialogActionType, ...(slotToElicit ? { slotToElicit } : {}) };
  }
  if (attrs) dialog.sessionAttributes = attrs;
  return undefined;
}

/**
 * Applies a V1 PutSession `dialogAction` to the dialog. Returns the message of a 400
 * `BadRequestException` when it is invalid.
 */
export function applyV1DialogAction(engine: DialogEngine, dialog: DialogState, raw: unknown): string | undefined {
  if (!isObject(raw) || !V1_ACTIONS.includes(raw.type as DialogActionType)) return `dialogAction.type must be one of ${V1_ACTIONS.join(', ')}.`;
  const type = raw.type as DialogActionType;
  if (type === 'ElicitIntent') {
    dialog.intent = undefined;
    dialog.dialogAction = { type };
    return undefined;
  }
  const slots = raw.slots === undefined ? {} : stringMap(raw.slots);
  if (!slots) return 'dialogAction.slots must map strings to strings.';
  if (raw.intentName === undefined && type === 'Close') {
    dialog.dialogAction = { type };
    return undefined;
  }
  const bad = checkIntent(engine, raw.intentName, slots, type === 'ElicitSlot' ? raw.slotToElicit : undefined);
  if (bad) return bad;
  if (type === 'ElicitSlot' && typeof raw.slotToElicit !== 'string') return 'dialogAction.slotToElicit is required for ElicitSlot.';
  const fulfillment = raw.fulfillmentState;
  if (fulfillment !== undefined && !['Fulfilled', 'Failed', 'ReadyForFulfillment'].includes(fulfillment as string)) {
    return 'dialogAction.fulfillmentState must be one of Fulfilled, Failed, ReadyForFulfillment.';
  }
  const name = raw.intentName as string;
  const state: IntentState = type === 'Close' ? ((fulfillment as IntentState | undefined) ?? 'Fulfilled') : 'InProgress';
  dialog.intent = { name, slots: slotsOf(engine, name, slots), state, confirmationState: 'None' };
  dialog.dialogAction = { type, ...(type === 'ElicitSlot' ? { slotToElicit: raw.slotToElicit as string } : {}) };
  return undefined;
}

/** Validates a V1 PutSession `recentIntentSummaryView` (at most 3 summaries). */
export function intentSummaries(raw: unknown): IntentSummary[] | string {
  if (!Array.isArray(raw) || raw.length > 3) return 'recentIntentSummaryView must be a list of at most 3 intent summaries.';
  const out: IntentSummary[] = [];
  for (const r of raw) {
    if (!isObject(r) || typeof r.dialogActionType !== 'string' || !V1_ACTIONS.includes(r.dialogActionType as DialogActionType)) {
      return 'recentIntentSummaryView[].dialogActionType is required.';
    }
    out.push({
      intentName: typeof r.intentName === 'string' ? r.intentName : '',
      ...(typeof r.checkpointLabel === 'string' ? { checkpointLabel: r.checkpointLabel } : {}),
      slots: stringMap(r.slots) ?? {},
      confirmationStatus: CONFIRMATION.includes(r.confirmationStatus as Confirmation) ? (r.confirmationStatus as Confirmation) : 'None',
      dialogActionType: r.dialogActionType,
      ...(typeof r.fulfillmentState === 'string' ? { fulfillmentState: r.fulfillmentState } : {}),
      ...(typeof r.slotToElicit === 'string' ? { slotToElicit: r.slotToElicit } : {}),
    });
  }
  return out;
}
