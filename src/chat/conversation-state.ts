import type { ChatButton } from './lex-messages.js';

/** One line of a chat transcript (for the agent who takes over). */
export interface TranscriptEntry {
  from: 'customer' | 'bot';
  text: string;
}

/** What the channel remembers about one conversation between messages. */
export interface ConversationMemory {
  /** Handed to a human: the bot stays silent from now on. */
  handedOff: boolean;
  /** Closed by the bot. */
  closed: boolean;
  transcript: TranscriptEntry[];
  /** Buttons of the last card the bot showed (a reply of "2" means the second one's value). */
  buttons?: ChatButton[];
  /** The last intent before the current one (e.g. the order the customer was placing before asking for an agent). */
  previousIntent?: { name: string; state?: string; slots: Record<string, string | string[] | null> };
  /** The intent of the latest turn. */
  lastIntent?: { name: string; state?: string; slots: Record<string, string | string[] | null> };
}

/** A transcript line is cut to this many characters: what Lex takes (RecognizeText `text`). */
const LINE_MAX = 1024;
/** Characters of transcript kept per conversation, newest lines first. */
const TRANSCRIPT_CHARS_MAX = 8000;

/**
 * Per-conversation memory with a bound: least recently used conversations are forgotten
 * beyond `maxConversations`, and each transcript keeps its last `transcriptMax` entries, at most
 * `TRANSCRIPT_CHARS_MAX` characters.
 * Also remembers recent `MessageSid`s so a redelivered webhook is not answered twice.
 */
export class ConversationStore {
  private readonly byKey = new Map<string, ConversationMemory>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly maxConversations: number,
    private readonly transcriptMax: number,
    private readonly maxSeen = 100_000,
  ) {}

  /** The memory of `key`, created on first use; marks it most recently used. */
  get(key: string): ConversationMemory {
    let m = this.byKey.get(key);
    if (m) {
      this.byKey.delete(key);
    } else {
      m = { handedOff: false, closed: false, transcript: [] };
      if (this.byKey.size >= this.maxConversations) this.byKey.delete(this.byKey.keys().next().value!);
    }
    this.byKey.set(key, m);
    return m;
  }

  /** The memory if present, without creating or touching it. */
  peek(key: string): ConversationMemory | undefined {
    return this.byKey.get(key);
  }

  /**
   * Adds a transcript line (cut to `LINE_MAX` characters, marked `…`), dropping the oldest lines
   * beyond `transcriptMax` lines or `TRANSCRIPT_CHARS_MAX` characters: memory per conversation
   * is bounded whatever customers type, and so are the Flex task's attributes.
   */
  note(m: ConversationMemory, from: TranscriptEntry['from'], text: string): void {
    if (this.transcriptMax === 0) return;
    m.transcript.push({ from, text: text.length > LINE_MAX ? `${text.slice(0, LINE_MAX - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : text });
    let chars = m.transcript.reduce((n, l) => n + l.text.length, 0);
    while (m.transcript.length > this.transcriptMax || chars > TRANSCRIPT_CHARS_MAX) chars -= m.transcript.shift()!.text.length;
  }

  /** True the first time `messageSid` is seen (then remembered, bounded). */
  firstDelivery(messageSid: string): boolean {
    if (this.seen.has(messageSid)) return false;
    this.seen.add(messageSid);
    if (this.seen.size > this.maxSeen) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  /** Forgets a delivery that was refused (503): its redelivery is a first delivery. */
  forgetDelivery(messageSid: string): void {
    this.seen.delete(messageSid);
  }

  /** Forgets a conversation (closed by Twilio). */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
