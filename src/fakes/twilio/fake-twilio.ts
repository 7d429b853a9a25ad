import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../../transports/twilio/signature.js';
import { FakeStore, type FakeConversation, type FakeMessage } from './fake-store.js';
import { parseFailureRule, type FakeFailureRule } from './fake-failures.js';
import { handleRest, type FakeAccount, type FakeRequest } from './fake-rest.js';
import { fakeControl } from './fake-control.js';

export type { FakeAccount, FakeRequest } from './fake-rest.js';
export type { FakeFailureRule } from './fake-failures.js';

/** Settings of the fake; accounts are required (there is no anonymous access, as on Twilio). */
export interface FakeTwilioOptions {
  accounts: FakeAccount[];
  host?: string;
  port?: number;
  /** A service-level post-event webhook (`onMessageAdded`) for every conversation, as in the Console. */
  serviceWebhookUrl?: string;
}

/** Where a webhook went and what the receiver answered. */
export interface Delivery {
  url: string;
  status: number;
}

/** A running fake of the Twilio REST endpoints the chat channel uses (docs/chat.md, "Testing without Twilio"). */
export interface FakeTwilio {
  /** `http://127.0.0.1:PORT`: give it to the connector as `TWILIO_API_BASE_URL`. */
  readonly url: string;
  readonly store: FakeStore;
  /** Accounts accepted (add more at any time). */
  readonly accounts: FakeAccount[];
  /** Every REST request, in arrival order (passwords never recorded). */
  readonly requests: FakeRequest[];
  /** Scripted failures, consumed in order. */
  readonly failures: FakeFailureRule[];
  /** The service-level `onMessageAdded` webhook (settable: a test learns the connector's port late). */
  serviceWebhookUrl?: string;
  /** Creates a conversation; with `webhookUrl`, attaches a conversation-scoped `onMessageAdded` webhook to it. */
  conversation(accountSid: string, opts?: { sid?: string; serviceSid?: string; webhookUrl?: string }): FakeConversation;
  /**
   * A message from an SDK user (the customer in the web chat, or an agent in Flex): stored, then
   * delivered as a signed `onMessageAdded` to the service webhook and the conversation's
   * webhooks. Resolves when every receiver has answered. Throws on a closed conversation.
   */
  say(accountSid: string, conversationSid: string, author: string, body: string): Promise<{ message: FakeMessage; deliveries: Delivery[] }>;
  /** Adds a scripted failure (`{ failure: { type: 'status', status: 429, retryAfter: '0' }, op: 'message.create', times: 2 }`). */
  fail(rule: Partial<FakeFailureRule> & Pick<FakeFailureRule, 'failure'>): void;
  /** Messages posted to a conversation, in order. */
  messages(accountSid: string, conversationSid: string): FakeMessage[];
  close(): Promise<void>;
}

/** Delivers `onMessageAdded` for `m` to `target` as Twilio does: form-encoded, signed with the account's auth token. */
async function deliver(store: FakeStore, account: FakeAccount, target: string, c: FakeConversation, m: FakeMessage, author: string): Promise<Delivery> {
  const params: Record<string, string> = {
    AccountSid: c.accountSid,
    EventType: 'onMessageAdded',
    Source: 'SDK',
    ClientIdentity: author,
    ConversationSid: c.sid,
    MessageSid: m.sid,
    MessagingServiceSid: 'MG' + '0'.repeat(32),
    Index: String(m.index),
    DateCreated: m.dateCreated,
    Body: m.body,
    Author: author,
    ParticipantSid: 'MB' + c.sid.slice(2),
    Attributes: m.attributes,
  };
  if (c.serviceSid) params.ChatServiceSid = c.serviceSid;
  const res = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(account.authToken, target, params), 'i-twilio-idempotency-token': m.sid },
    body: new URLSearchParams(params).toString(),
  });
  await res.arrayBuffer();
  store.record('webhook.delivered', c.accountSid, c.sid, { url: target, messageSid: m.sid, status: res.status });
  return { url: target, status: res.status };
}

/** Starts the fake on `host:port` (default 127.0.0.1:0). */
export async function createFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const store = new FakeStore();
  const requests: FakeRequest[] = [];
  const failures: FakeFailureRule[] = [];
  const hung = new Set<ServerResponse>();
  let seq = 0;
  const ctx = { accounts: opts.accounts, store, failures, requests, hung, nextSeq: () => ++seq };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path.startsWith('/_fake/')) void fakeControl(fake, req, res, path, body);
      else handleRest(ctx, req, res, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  const fake: FakeTwilio = {
    url,
    store,
    accounts: opts.accounts,
    requests,
    failures,
    serviceWebhookUrl: opts.serviceWebhookUrl,
    conversation: (accountSid, o = {}) => {
      const c = store.create(accountSid, o.sid, o.serviceSid);
      if (o.webhookUrl && !c.webhooks.some((w) => w.url === o.webhookUrl)) {
        c.webhooks.push({ sid: 'WH' + c.sid.slice(2), target: 'webhook', url: o.webhookUrl, method: 'post', filters: ['onMessageAdded'] });
      }
      return c;
    },
    say: async (accountSid, conversationSid, author, body) => {
      const c = store.get(accountSid, conversationSid) ?? store.create(accountSid, conversationSid);
      if (c.state === 'closed') throw new Error(`conversation ${conversationSid} is closed`);
      const message = store.addMessage(c, author, body, '{}', 'sdk');
      const targets = [
        ...(fake.serviceWebhookUrl ? [fake.serviceWebhookUrl] : []),
        ...c.webhooks.filter((w) => w.target === 'webhook' && w.url && (w.filters.length === 0 || w.filters.includes('onMessageAdded'))).map((w) => w.url!),
      ];
      const account = fake.accounts.find((a) => a.accountSid === c.accountSid);
      if (!account) throw new Error(`unknown account ${accountSid}`);
      const deliveries = await Promise.all(targets.map((t) => deliver(store, account, t, c, message, author)));
      return { message, deliveries };
    },
    fail: (rule) => failures.push(parseFailureRule({ times: 1, ...rule })),
    messages: (accountSid, conversationSid) => store.get(accountSid, conversationSid)?.messages ?? [],
    close: async () => {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
