import type { BotDef, IntentDef, SlotDef } from './bot-model.js';

const STOPWORDS = new Set(['i', 'a', 'an', 'the', 'to', 'some', 'please', 'would', 'like', 'want', 'can', 'get', 'me', 'my', 'for', 'of', 'and', 'um', 'uh']);

/** Lower-case words without punctuation. */
export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9:#*' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function containsPhrase(words: string[], phrase: string): boolean {
  const p = tokens(phrase);
  if (p.length === 0) return false;
  outer: for (let i = 0; i + p.length <= words.length; i++) {
    for (let j = 0; j < p.length; j++) if (words[i + j] !== p[j]) continue outer;
    return true;
  }
  return false;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** AMAZON.Date: today, tomorrow, a weekday (next occurrence) or YYYY-MM-DD. */
function matchDate(text: string, words: string[], today: Date): string | undefined {
  const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text);
  if (iso) return iso[1];
  const day = 86_400_000;
  if (words.includes('today')) return isoDate(today);
  if (words.includes('tomorrow')) return isoDate(new Date(today.getTime() + day));
  for (let w = 0; w < 7; w++) {
    if (words.includes(WEEKDAYS[w])) {
      const delta = (w - today.getUTCDay() + 7) % 7 || 7;
      return isoDate(new Date(today.getTime() + delta * day));
    }
  }
  return undefined;
}

/** AMAZON.Time: noon, midnight, "10 am", "3:30 pm", "ten pm", "14:00". */
function matchTime(text: string, words: string[]): string | undefined {
  if (words.includes('noon')) return '12:00';
  if (words.includes('midnight')) return '00:00';
  const t = text.toLowerCase().replace(/\./g, '');
  const m = /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?::(\d{2}))?\s*(am|pm|o'clock)?\b/.exec(t);
  if (!m || (!m[2] && !m[3])) return undefined;
  let h = NUMBER_WORDS[m[1]] ?? Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  if (m[3] === 'pm' && h < 12) h += 12;
  if (m[3] === 'am' && h === 12) h = 0;
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** Resolves a slot value from text; undefined when the text holds none. */
export function matchSlot(bot: BotDef, slot: SlotDef, text: string, today: Date): string | undefined {
  const words = tokens(text);
  switch (slot.slotType) {
    case 'AMAZON.Date':
      return matchDate(text, words, today);
    case 'AMAZON.Time':
      return matchTime(text, words);
    case 'AMAZON.Number': {
      const n = words.find((w) => /^\d+$/.test(w) || w in NUMBER_WORDS);
      return n === undefined ? undefined : String(NUMBER_WORDS[n] ?? Number(n));
    }
    case 'AMAZON.AlphaNumeric':
      return words.join('') || undefined;
    default: {
      const type = bot.slotTypes[slot.slotType];
      for (const v of type?.values ?? []) {
        for (const phrase of [v.value, ...(v.synonyms ?? [])]) if (containsPhrase(words, phrase)) return v.value;
      }
      return undefined;
    }
  }
}

/** Yes/no for a confirmation prompt (DTMF 1 = yes, 2 = no). */
export function matchConfirmation(text: string): 'Confirmed' | 'Denied' | undefined {
  const w = tokens(text);
  if (w.some((x) => ['yes', 'yeah', 'yep', 'sure', 'correct', 'ok', 'okay', 'right', '1'].includes(x))) return 'Confirmed';
  if (w.some((x) => ['no', 'nope', 'nah', 'cancel', 'wrong', '2'].includes(x))) return 'Denied';
  return undefined;
}

/** Every intent with its confidence for `text` in [0,1], best first; intents scoring 0 left out. */
export function rankIntents(bot: BotDef, text: string, today: Date): { intent: IntentDef; score: number }[] {
  const words = tokens(text);
  const content = new Set(words.filter((w) => !STOPWORDS.has(w)));
  const ranked: { intent: IntentDef; score: number }[] = [];
  for (const intent of bot.intents) {
    let best = 0;
    for (const sample of intent.sampleUtterances) {
      let need = 0;
      let have = 0;
      for (const m of sample.matchAll(/\{(\w+)\}/g)) {
        const slot = intent.slots.find((s) => s.name === m[1]);
        need++;
        if (slot && matchSlot(bot, slot, text, today) !== undefined) have++;
      }
      for (const p of tokens(sample.replace(/\{\w+\}/g, ' '))) {
        if (STOPWORDS.has(p)) continue;
        need++;
        if (content.has(p)) have++;
      }
      if (need > 0) best = Math.max(best, have / need);
    }
    if (best > 0) ranked.push({ intent, score: best });
  }
  // Stable: among equal scores the intent declared first wins.
  return ranked.sort((a, b) => b.score - a.score);
}
