import { randomBytes } from 'node:crypto';

/** A Twilio-style SID: two-letter prefix and 32 hex digits. */
export function fakeSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A message in a fake conversation. */
export interface FakeMessage {
  sid: string;
  index: number;
  author: string;
  body: string;
  attributes: string;
  /** `api` for REST-posted messages, `sdk` for `FakeTwilio.say` (customer or agent). */
  source: 'api' | 'sdk';
  dateCreated: string;
}

/** A conversation-scoped webhook. */
export interface FakeWebhook {
  sid: string;
  target: string;
  url?: string;
  method: string;
  filters: string[];
}

/** One fake conversation (default service, or `serviceSid`). */
export interface FakeConversation {
  sid: string;
  accountSid: string;
  serviceSid?: string;
  state: 'active' | 'inactive' | 'closed';
  attributes: string;
  messages: FakeMessage[];
  webhooks: FakeWebhook[];
  nextIndex: number;
}

/** A Flex interaction as created through `/v1/Interactions` (Channel and Routing parsed from JSON). */
export interface FakeInteraction {
  sid: string;
  accountSid: string;
  channel: Record<string, unknown>;
  routing: Record<string, unknown>;
}

/** A live voice call updated through the Calls API (`Twiml` or `Url`), as recorded. */
export interface FakeCallUpdate {
  accountSid: string;
  callSid: string;
  twiml?: string;
  url?: string;
  status?: string;
}

/** Something the fake did, in one global order (`seq`), for ordering assertions. */
export interface FakeEvent {
  seq: number;
  type: 'message.created' | 'conversation.updated' | 'interaction.created' | 'webhook.created' | 'webhook.removed' | 'webhook.delivered' | 'call.updated';
  accountSid: string;
  conversationSid?: string;
  detail: Record<string, unknown>;
}

/** The fake's state: conversations per account, interactions, and the event log. */
export class FakeStore {
  readonly conversations = new Map<string, FakeConversation>();
  readonly interactions: FakeInteraction[] = [];
  /** Voice call updates (hand-offs), in order. */
  readonly callUpdates: FakeCallUpdate[] = [];
  readonly events: FakeEvent[] = [];
  private seq = 0;

  private key(accountSid: string, sid: string): string {
    return `${accountSid}/${sid}`;
  }

  /** The conversation, or undefined when it does not exist for this account. */
  get(accountSid: string, sid: string): FakeConversation | undefined {
    return this.conversations.get(this.key(accountSid, sid));
  }

  /** Creates (or returns) a conversation. */
  create(accountSid: string, sid = fakeSid('CH'), serviceSid?: string): FakeConversation {
    const existing = this.get(accountSid, sid);
    if (existing) return existing;
    const c: FakeConversation = { sid, accountSid, serviceSid, state: 'active', attributes: '{}', messages: [], webhooks: [], nextIndex: 0 };
    this.conversations.set(this.key(accountSid, sid), c);
    return c;
  }

  /** Appends a message to `c` and records it. */
  addMessage(c: FakeConversation, author: string, body: string, attributes: string, source: 'api' | 'sdk'): FakeMessage {
    const m: FakeMessage = { sid: fakeSid('IM'), index: c.nextIndex++, author, body, attributes, source, dateCreated: new Date().toISOString() };
    c.messages.push(m);
    this.record('message.created', c.accountSid, c.sid, { sid: m.sid, index: m.index, author, body, attributes, source });
    return m;
  }

  /** Adds an event to the ordered log. */
  record(type: FakeEvent['type'], accountSid: string, conversationSid: string | undefined, detail: Record<string, unknown>): FakeEvent {
    const e = { seq: ++this.seq, type, accountSid, conversationSid, detail };
    this.events.push(e);
    return e;
  }
}
