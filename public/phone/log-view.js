/**
 * The conversation log (an ARIA live region): what the caller said, what the bot understood
 * and answered, and notes about the call. Every text goes in through `textContent`, never as
 * markup: transcripts and bot messages are not trusted.
 */

const log = () => document.getElementById('log');

function entry(kind, who, text, meta) {
  const li = document.createElement('li');
  li.className = kind;
  if (who) {
    const w = document.createElement('span');
    w.className = 'who';
    w.textContent = `${who}:`;
    li.append(w);
  }
  li.append(document.createTextNode(text));
  if (meta) {
    const m = document.createElement('span');
    m.className = 'meta';
    m.textContent = meta;
    li.append(m);
  }
  const list = log();
  list.append(li);
  // Scroll the log itself, never the page: the controls stay where they are.
  list.scrollTop = list.scrollHeight;
  return li;
}

/** What the caller said or typed. */
export const you = (text, meta) => entry('you', 'You', text, meta);
/** What the bot answered, with what it understood in `meta`. */
export const bot = (text, meta) => entry('bot', 'Bot', text, meta);
/** A note about the call (connected, barge-in, ended). */
export const note = (text) => entry('note', '', text);

export function clearLog() {
  log().replaceChildren();
}

/** Slots as "FlowerType=roses, PickupDate=2026-11-23" (values may be strings, lists or null). */
export function slotsText(slots) {
  if (!slots || typeof slots !== 'object') return '';
  const filled = Object.entries(slots).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return filled.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}

const KNOWN_TURN_FIELDS = new Set([
  'input',
  'transcript',
  'botMessage',
  'intentName',
  'intentState',
  'dialogState',
  'slots',
  'sessionAttributes',
  'confidence',
  'interpretations',
  'latencyMs',
  'outcome',
  'bargeIn',
  'endsCall',
  'handoff',
]);

/** The meta line of a spoken turn: intent, dialog state, slots, confidence, latency, outcome and any field a newer connector adds. */
export function turnMeta(turn) {
  const parts = [];
  if (turn.intentName) parts.push(`intent ${turn.intentName}${turn.intentState ? ` (${turn.intentState})` : ''}`);
  if (turn.dialogState) parts.push(turn.dialogState);
  const slots = slotsText(turn.slots);
  if (slots) parts.push(slots);
  if (typeof turn.confidence === 'number') parts.push(`confidence ${turn.confidence.toFixed(2)}`);
  if (typeof turn.latencyMs === 'number') parts.push(`turn latency ${Math.round(turn.latencyMs)} ms`);
  if (turn.outcome && turn.outcome !== 'played') parts.push(turn.outcome);
  if (turn.bargeIn) parts.push('barged in');
  if (turn.endsCall) parts.push('ends the call');
  if (turn.handoff) parts.push('hands off to an agent');
  const attributes = slotsText(turn.sessionAttributes);
  if (attributes) parts.push(`attributes ${attributes}`);
  for (const [k, v] of Object.entries(turn)) if (!KNOWN_TURN_FIELDS.has(k) && v !== undefined) parts.push(`${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return parts.join(' · ');
}

/** Renders one live event of the connector (call/call-events.ts); types it does not know are shown as they are. */
export function showEvent(e) {
  switch (e.type) {
    case 'call.started':
      return note(`Connected: ${e.platform}, route ${e.route}, ${e.rateHz} Hz.`);
    case 'turn': {
      const t = e.turn ?? {};
      if (t.input === 'speech') you(t.transcript ? `“${t.transcript}”` : '(speech the bot did not understand)');
      else if (t.input === 'dtmf') you(t.transcript ? `keys ${t.transcript}` : '(keys)');
      if (t.outcome === 'failed') return bot('no answer: the Lex request failed', turnMeta(t));
      return t.botMessage ? bot(t.botMessage, turnMeta(t)) : bot(turnMeta(t) || 'answered');
    }
    case 'dtmf':
      return note(`Keys sent: ${e.digits}`);
    case 'script.accepted':
      return note(`The emulator will take your next ${e.transcripts === 1 ? 'utterance' : `${e.transcripts} utterances`} as queued.`);
    case 'script.refused':
      return note(`Not queued: ${e.reason}.`);
    case 'no_input':
      return note(`No input: the bot waited for you (attempt ${e.attempt}, ${e.action}).`);
    case 'handoff':
      return note(`Hand-off to an agent (${e.method}${e.destination ? ` to ${e.destination}` : ''}).`);
    case 'handoff.failed':
      return note(`Hand-off failed (${e.method}, ${e.code}); the call closes instead.`);
    case 'call.ended':
      return note(`Call ended: ${e.closeCode} ${e.reason}.`);
    default: {
      const { type, callId: _callId, seq: _seq, ...rest } = e;
      return note(`${type}: ${JSON.stringify(rest)}`);
    }
  }
}
