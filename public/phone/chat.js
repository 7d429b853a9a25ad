/**
 * The chat tab: one turn through the connector's generic chat API
 * (`POST /chat/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text`,
 * docs/chat.md), credentials in the `X-AWS-*` headers, the connector token as a bearer token.
 */
import { bot, note, slotsText, you } from './log-view.js';

/** The meta line of a chat answer: intent and its state, the dialog action, slots, hand-off and close. */
function chatMeta(r) {
  const parts = [];
  if (r.intent?.name) parts.push(`intent ${r.intent.name}${r.intent.state ? ` ${r.intent.state}` : ''}`);
  if (r.dialogAction?.type) parts.push(`${r.dialogAction.type}${r.dialogAction.slotToElicit ? ` ${r.dialogAction.slotToElicit}` : ''}`);
  const slots = slotsText(r.intent?.slots);
  if (slots) parts.push(slots);
  if (r.handoff) parts.push('hand-off to an agent');
  if (r.closed) parts.push('conversation closed');
  return parts.join(' · ');
}

/**
 * Sends `text` for the bot session `s` and shows the answer in the log.
 * @param {{ botId: string, botAliasId: string, localeId: string, sessionId: string, awsKey: string, awsSecret: string,
 *   awsSessionToken?: string, awsRegion: string, token?: string }} s
 * @param {string} text
 */
export async function sendChat(s, text) {
  const e = encodeURIComponent;
  const url = `/chat/bots/${e(s.botId)}/botAliases/${e(s.botAliasId)}/botLocales/${e(s.localeId)}/sessions/${e(s.sessionId)}/text`;
  const headers = { 'content-type': 'application/json', 'x-aws-key': s.awsKey, 'x-aws-secret': s.awsSecret, 'x-aws-region': s.awsRegion };
  if (s.awsSessionToken) headers['x-aws-session-token'] = s.awsSessionToken;
  if (s.token) headers.authorization = `Bearer ${s.token}`;
  you(text);
  let res;
  try {
    res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ text }), cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    return note('The connector could not be reached.');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return note(`Chat refused: ${res.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim());
  const messages = (body.messages ?? []).map((m) => m.text ?? m.payload ?? '').filter(Boolean);
  const meta = chatMeta(body);
  if (messages.length === 0) bot('(no message)', meta);
  for (const [i, m] of messages.entries()) bot(m, i === messages.length - 1 ? meta : undefined);
}
