/**
 * Turns a bot message into text a synthesizer reads the way Lex would say it. Slot
 * values reach messages in their resolved forms (AMAZON.Time `10:00`, AMAZON.Date
 * `2026-11-27`), which a plain text-to-speech front end reads digit by digit ("two
 * zero two six ..."); they become words here ("ten a.m.", "Friday, November
 * twenty-seventh"), as do the small numbers of prompts ("press 1, 2 or 3").
 */

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const ORDINAL_ONES = [
  'zeroth',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
];
const ORDINAL_TENS = ['', '', 'twentieth', 'thirtieth'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** English words for 0–99 ("forty-two"). */
export function numberWords(n: number): string {
  if (n < 20) return ONES[n];
  const tens = TENS[Math.floor(n / 10)];
  return n % 10 === 0 ? tens : `${tens}-${ONES[n % 10]}`;
}

/** English ordinal words for 1–31 ("twenty-seventh"). */
function ordinalWords(n: number): string {
  if (n < 20) return ORDINAL_ONES[n];
  if (n % 10 === 0) return ORDINAL_TENS[n / 10];
  return `${TENS[Math.floor(n / 10)]}-${ORDINAL_ONES[n % 10]}`;
}

/** `HH:MM` (24 h) as spoken: "noon", "midnight", "ten a.m.", "three thirty p.m.", "nine oh five a.m.". */
function timeWords(h: number, m: number): string {
  if (m === 0 && h === 12) return 'noon';
  if (m === 0 && h === 0) return 'midnight';
  const hour = numberWords(h % 12 === 0 ? 12 : h % 12);
  const minutes = m === 0 ? '' : m < 10 ? ` oh ${numberWords(m)}` : ` ${numberWords(m)}`;
  return `${hour}${minutes} ${h < 12 ? 'a.m.' : 'p.m.'}`;
}

/** `YYYY-MM-DD` as spoken: "Friday, November twenty-seventh" (the year is left out). */
function dateWords(y: number, mo: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${WEEKDAYS[date.getUTCDay()]}, ${MONTHS[mo - 1]} ${ordinalWords(d)}`;
}

/** `text` with ISO dates, 24 h times and the integers 0–99 written as words. */
export function speakable(text: string): string {
  return text
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (all, y: string, mo: string, d: string) => dateWords(+y, +mo, +d) ?? all)
    .replace(/(?<![\d:])\b([01]?\d|2[0-3]):([0-5]\d)\b(?!:\d)/g, (_all, h: string, m: string) => timeWords(+h, +m))
    .replace(/(?<![\d.,:-])\b\d{1,2}\b(?![.,:-]?\d)/g, (n) => numberWords(+n));
}
