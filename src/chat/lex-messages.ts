import type { Message } from '@aws-sdk/client-lex-runtime-v2';

/** A button of an ImageResponseCard: `text` is shown, `value` is what the customer sends back. */
export interface ChatButton {
  text: string;
  value: string;
}

/** One Lex message rendered for chat (protocols-chat-handoff.md §6.2). */
export type ChatMessage =
  | { contentType: 'PlainText'; text: string }
  | { contentType: 'SSML'; text: string; ssml: string }
  | { contentType: 'ImageResponseCard'; text: string; card: { title: string; subtitle?: string; imageUrl?: string; buttons: ChatButton[] } }
  | { contentType: 'CustomPayload'; payload: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** SSML to plain text: tags removed (`<break>` becomes a space), the five XML entities decoded, spaces collapsed. */
export function stripSsml(ssml: string): string {
  return ssml
    .replace(/<break\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e])
    .replace(/\s+/g, ' ')
    .trim();
}

/** A card as chat text: title, subtitle, image URL, then numbered buttons ("1. Roses"). */
export function cardText(card: { title: string; subtitle?: string; imageUrl?: string; buttons: ChatButton[] }): string {
  const lines = [card.title];
  if (card.subtitle) lines.push(card.subtitle);
  if (card.imageUrl) lines.push(card.imageUrl);
  for (const [i, b] of card.buttons.entries()) lines.push(`${i + 1}. ${b.text}`);
  return lines.join('\n');
}

/** Renders Lex V2 `messages[]` in bot order; messages without usable content are skipped. */
export function renderMessages(messages: Message[] | undefined): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages ?? []) {
    switch (m.contentType) {
      case 'PlainText':
        if (m.content) out.push({ contentType: 'PlainText', text: m.content });
        break;
      case 'SSML':
        if (m.content) out.push({ contentType: 'SSML', text: stripSsml(m.content), ssml: m.content });
        break;
      case 'ImageResponseCard': {
        const c = m.imageResponseCard;
        if (!c?.title) break;
        const buttons = (c.buttons ?? []).filter((b) => b.text && b.value).map((b) => ({ text: b.text!, value: b.value! }));
        const card = { title: c.title, subtitle: c.subtitle || undefined, imageUrl: c.imageUrl || undefined, buttons };
        out.push({ contentType: 'ImageResponseCard', text: cardText(card), card });
        break;
      }
      case 'CustomPayload':
        if (m.content) out.push({ contentType: 'CustomPayload', payload: m.content });
        break;
      default:
        // An unknown content type from a newer Lex: nothing a chat can show.
        break;
    }
  }
  return out;
}

/**
 * Maps a customer's reply to the value of the last card's button: its number ("2") or its
 * text (case-insensitive). Anything else is sent to Lex as typed.
 */
export function resolveButtonReply(text: string, buttons: ChatButton[] | undefined): string {
  if (!buttons?.length) return text;
  const t = text.trim();
  const n = /^\d{1,2}$/.test(t) ? Number(t) : 0;
  if (n >= 1 && n <= buttons.length) return buttons[n - 1].value;
  const byText = buttons.find((b) => b.text.toLowerCase() === t.toLowerCase());
  return byText ? byText.value : text;
}
