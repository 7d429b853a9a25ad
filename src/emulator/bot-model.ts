import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One slot of an intent. `slotType` is a custom type name or AMAZON.Date/Time/Number/AlphaNumeric. */
export interface SlotDef {
  name: string;
  slotType: string;
  required: boolean;
  /** Elicitation prompt; `{Slot}` placeholders are filled from the slots. */
  prompt: string;
  /** False makes the prompt uninterruptible (Lex's per-slot barge-in setting). Default true. */
  allowInterrupt?: boolean;
}

/** One intent with its sample utterances, slots and responses. */
export interface IntentDef {
  name: string;
  sampleUtterances: string[];
  slots: SlotDef[];
  confirmationPrompt?: string;
  declinationResponse?: string;
  closingResponse?: string;
  /** Session attributes set when the intent is fulfilled (e.g. `nexmo-close`). */
  sessionAttributesOnClose?: Record<string, string>;
  /** Fulfilment answers but the dialog stays open (V2 dialogAction ElicitIntent). */
  keepOpen?: boolean;
}

/** A custom slot type: values with synonyms. */
export interface SlotTypeDef {
  values: { value: string; synonyms?: string[] }[];
}

/** A bot as JSON (docs/emulator.md). */
export interface BotDef {
  name: string;
  /** Lex V2 bot id (10 alphanumerics); V1 addresses the bot by `name`. */
  botId: string;
  /** V1 aliases besides `$LATEST`, which every V1 bot answers on. */
  aliases: string[];
  /** V2 alias ids besides `TSTALIASID`, the test alias every V2 bot has. */
  botAliasIds: string[];
  /** V2 locales the bot has (default `["en_US"]`). */
  localeIds: string[];
  fallbackMessage: string;
  slotTypes: Record<string, SlotTypeDef>;
  intents: IntentDef[];
}

/** Validates a parsed bot definition; throws `TypeError` naming the field. */
export function validateBot(raw: unknown): BotDef {
  const b = raw as BotDef;
  if (!b || typeof b !== 'object') throw new TypeError('bot: not an object');
  if (typeof b.name !== 'string' || !b.name) throw new TypeError('bot.name: required string');
  if (typeof b.botId !== 'string' || !/^[0-9a-zA-Z]{10}$/.test(b.botId)) throw new TypeError('bot.botId: 10 alphanumerics');
  if (!Array.isArray(b.intents) || b.intents.length === 0) throw new TypeError('bot.intents: non-empty array');
  b.aliases = stringList(b.aliases, 'bot.aliases');
  b.botAliasIds = stringList(b.botAliasIds, 'bot.botAliasIds');
  b.localeIds = stringList(b.localeIds, 'bot.localeIds');
  if (b.localeIds.length === 0) b.localeIds = ['en_US'];
  b.slotTypes ??= {};
  b.fallbackMessage ??= 'Sorry, can you please repeat that?';
  for (const intent of b.intents) {
    if (typeof intent.name !== 'string') throw new TypeError('bot.intents[].name: required string');
    intent.slots ??= [];
    intent.sampleUtterances ??= [];
    for (const s of intent.slots) {
      if (!s.slotType.startsWith('AMAZON.') && !b.slotTypes[s.slotType]) {
        throw new TypeError(`bot.intents[${intent.name}].slots[${s.name}].slotType: unknown type ${s.slotType}`);
      }
    }
  }
  return b;
}

function stringList(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) throw new TypeError(`${field}: array of non-empty strings`);
  return v as string[];
}

/** Loads and validates a bot JSON file. */
export function loadBot(path: string): BotDef {
  return validateBot(JSON.parse(readFileSync(path, 'utf8')));
}

/** The shipped demo bot: OrderFlowers with an `Agent` hand-off intent. */
export function orderFlowersBot(): BotDef {
  return loadBot(fileURLToPath(new URL('./bots/order-flowers.json', import.meta.url)));
}

/**
 * The shipped hand-off bot (docs/handoff.md): `Agent` hands off by its name alone (no
 * attribute), `ReportProblem` by setting the session attribute `handoff=agent` once its
 * `Product` slot is filled, `Goodbye` hangs up (`nexmo-close`).
 */
export function helpDeskBot(): BotDef {
  return loadBot(fileURLToPath(new URL('./bots/help-desk.json', import.meta.url)));
}

/** The bots an emulator serves when given none: OrderFlowers and HelpDesk. */
export function shippedBots(): BotDef[] {
  return [orderFlowersBot(), helpDeskBot()];
}
