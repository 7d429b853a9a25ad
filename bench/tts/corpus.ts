import { orderFlowersBot } from '../../src/emulator/bot-model.js';
import { DialogEngine, newDialogState } from '../../src/emulator/dialog.js';

/** One sentence to synthesize; `bot` marks the emulator's own prompts. */
export interface CorpusItem {
  id: string;
  text: string;
  bot: boolean;
}

/** Caller inputs that walk the OrderFlowers bot through every message it has. */
const DIALOGS = [
  ['I would like to order some flowers', 'roses', 'tomorrow', 'ten am', 'yes'],
  ['I want tulips', 'friday', '3:30 pm', 'no'],
  ['help'],
  ['agent'],
  ['something the bot does not understand'],
];

/** IEEE "Harvard" sentences, list 1: phonetically balanced, the usual intelligibility test set. */
const HARVARD_1 = [
  'The birch canoe slid on the smooth planks.',
  'Glue the sheet to the dark blue background.',
  "It's easy to tell the depth of a well.",
  'These days a chicken leg is a rare dish.',
  'Rice is often served in round bowls.',
  'The juice of lemons makes fine punch.',
  'The box was thrown beside the parked truck.',
  'The hogs were fed chopped corn and garbage.',
  'Four hours of steady work faced us.',
  'A large size in stockings is hard to sell.',
];

/**
 * The emulator's actual prompts (every distinct message of the OrderFlowers dialogs
 * above, slot values as the emulator renders them, "today" pinned to 2026-11-26) and
 * the ten Harvard sentences of list 1.
 */
export function corpus(): CorpusItem[] {
  const engine = new DialogEngine(orderFlowersBot(), () => new Date('2026-11-26T12:00:00Z'));
  const prompts = new Set<string>();
  for (const inputs of DIALOGS) {
    const state = newDialogState();
    for (const text of inputs) {
      const message = engine.turn(state, text).message;
      if (message) prompts.add(message);
    }
  }
  return [...[...prompts].map((text, i) => ({ id: `bot-${i + 1}`, text, bot: true })), ...HARVARD_1.map((text, i) => ({ id: `harvard-1.${i + 1}`, text, bot: false }))];
}
