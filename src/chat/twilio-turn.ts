import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { ChatTenant } from './chat-config.js';
import type { ChatMetrics } from './chat-metrics.js';
import type { ConversationMemory, ConversationStore } from './conversation-state.js';
import { decideOutcome, type RuleOutcome } from '../call/handoff-rules.js';
import { renderMessages, resolveButtonReply, type ChatMessage } from './lex-messages.js';
import { summarize, type LexText, type TurnSummary } from './lex-text.js';
import type { TwilioRest } from './twilio-rest.js';
import type { Clock } from '../audio/clock.js';
import type { ConnectorError } from '../errors.js';

/** An `onMessageAdded` the bot should answer. */
export interface InboundMessage {
  conversationSid: string;
  messageSid: string;
  author: string;
  body: string;
}

/** What a Twilio chat turn uses; everything is passed in. */
export interface TwilioTurnDeps {
  lex: LexText;
  rest(tenant: ChatTenant): Promise<TwilioRest>;
  store: ConversationStore;
  metrics: ChatMetrics;
  errors: Counter<'code'>;
  clock: Clock;
}

/** Lex's `text` limit (protocols-chat-handoff.md §6.1); Twilio bodies may be 1,600 characters. */
export const LEX_TEXT_MAX = 1024;

/** The first `max` characters (code points, never half a surrogate pair). */
export function truncateText(text: string, max = LEX_TEXT_MAX): string {
  const cps = [...text];
  return cps.length <= max ? text : cps.slice(0, max).join('');
}

/**
 * One customer message of a Twilio conversation: RecognizeText (session id = ConversationSid),
 * each Lex message posted back in order as the bot, then hand-off or close by the rules.
 * Never throws: failures are logged with a code and counted.
 */
export async function twilioTurn(deps: TwilioTurnDeps, tenant: ChatTenant, msg: InboundMessage, log: Logger): Promise<void> {
  const mem = deps.store.get(`${tenant.accountSid}/${msg.conversationSid}`);
  if (mem.handedOff || mem.closed) {
    log.debug({ handedOff: mem.handedOff, closed: mem.closed }, 'message after hand-off or close: not sent to the bot');
    return;
  }
  const text = truncateText(resolveButtonReply(msg.body, mem.buttons));
  deps.store.note(mem, 'customer', msg.body);
  const { bot } = tenant;
  const creds = bot.credentials && {
    accessKeyId: bot.credentials.accessKeyId,
    secretAccessKey: bot.credentials.secretAccessKey.reveal(),
    sessionToken: bot.credentials.sessionToken?.reveal(),
  };
  const t0 = deps.clock.now();
  let response;
  try {
    response = await deps.lex.recognize(bot.region, creds, { botId: bot.botId, botAliasId: bot.botAliasId, localeId: bot.localeId, sessionId: msg.conversationSid, text });
  } catch (err) {
    const code = (err as ConnectorError).code ?? 'CHAT_LEX_FAILED';
    deps.errors.inc({ code });
    log.warn({ code, messageSid: msg.messageSid, apology: !!tenant.errorMessage }, 'Lex turn failed: no bot reply for this message');
    if (tenant.errorMessage) await postAll(deps, await deps.rest(tenant), tenant, msg.conversationSid, [], tenant.errorMessage, mem, log);
    return;
  } finally {
    deps.metrics.lexLatency.observe({ channel: 'twilio' }, (deps.clock.now() - t0) / 1000);
  }
  deps.metrics.turns.inc({ channel: 'twilio' });
  const messages = renderMessages(response.messages);
  const outcome = decideOutcome(response, tenant.rules);
  const summary = summarize(response);
  const cards = messages.filter((m) => m.contentType === 'ImageResponseCard');
  mem.buttons = cards.length ? cards[cards.length - 1].card.buttons : undefined;
  if (summary.intent && summary.intent.name !== mem.lastIntent?.name) mem.previousIntent = mem.lastIntent;
  if (summary.intent) mem.lastIntent = { name: summary.intent.name, state: summary.intent.state, slots: summary.intent.slots };
  // Mark first: a message arriving while the hand-off runs must not reach the bot.
  mem.handedOff = outcome.handoff;
  mem.closed = outcome.close;
  log.debug({ intent: summary.intent?.name, intentState: summary.intent?.state, dialogAction: summary.dialogAction.type, reason: outcome.reason }, 'chat turn');
  const rest = await deps.rest(tenant);
  const extra = outcome.handoff ? tenant.handoffMessage : outcome.close ? tenant.closeMessage : undefined;
  await postAll(deps, rest, tenant, msg.conversationSid, messages, extra, mem, log);
  if (outcome.handoff) await handOff(deps, rest, tenant, msg, summary, outcome, mem, log);
  else if (outcome.close && !(await closeConversation(deps, rest, msg.conversationSid, outcome, log))) {
    // Still open on Twilio's side: the bot keeps answering rather than go silent.
    mem.closed = false;
  }
}

async function postAll(
  deps: TwilioTurnDeps,
  rest: TwilioRest,
  tenant: ChatTenant,
  sid: string,
  messages: ChatMessage[],
  extra: string | undefined,
  mem: ConversationMemory,
  log: Logger,
): Promise<void> {
  const posts: { body: string; attributes?: Record<string, unknown> }[] = [];
  for (const m of messages) {
    // A custom payload is the bot author's own format: never shown raw to the customer.
    if (m.contentType === 'CustomPayload') continue;
    posts.push(m.contentType === 'ImageResponseCard' ? { body: m.text, attributes: { lexImageResponseCard: m.card } } : { body: m.text });
  }
  if (extra) posts.push({ body: extra });
  for (const p of posts) {
    try {
      await rest.postMessage(sid, tenant.botIdentity, p.body, p.attributes);
      deps.metrics.messages.inc({ result: 'posted' });
      deps.store.note(mem, 'bot', p.body);
    } catch (err) {
      deps.metrics.messages.inc({ result: 'failed' });
      deps.errors.inc({ code: 'TWILIO_POST_FAILED' });
      log.error({ code: 'TWILIO_POST_FAILED', ...twilioFailure(err) }, 'bot message not delivered to the conversation');
    }
  }
}

async function handOff(deps: TwilioTurnDeps, rest: TwilioRest, tenant: ChatTenant, msg: InboundMessage, s: TurnSummary, outcome: RuleOutcome, mem: ConversationMemory, log: Logger): Promise<void> {
  // `Author` is a chat identity, or (per Twilio samples, UNVERIFIED in the docs) the customer's
  // address for SMS/WhatsApp; Flex adds its own task attributes next to these (their exact set
  // is UNVERIFIED, protocols-chat-handoff.md §3.1).
  const attributes = {
    from: msg.author,
    customerName: msg.author,
    conversationSid: msg.conversationSid,
    lex: {
      botId: tenant.bot.botId,
      botAliasId: tenant.bot.botAliasId,
      localeId: tenant.bot.localeId,
      intent: s.intent?.name ?? null,
      intentState: s.intent?.state ?? null,
      slots: s.intent?.slots ?? {},
      previousIntent: mem.previousIntent ?? null,
      reason: outcome.reason,
      transcript: mem.transcript,
    },
  };
  try {
    const interactionSid = await rest.createInteraction(msg.conversationSid, attributes);
    deps.metrics.handoffs.inc({ channel: 'twilio', result: 'ok' });
    log.info({ interactionSid, reason: outcome.reason }, 'conversation handed to Flex');
  } catch (err) {
    // The bot takes the conversation back rather than leave the customer with nobody.
    mem.handedOff = false;
    deps.metrics.handoffs.inc({ channel: 'twilio', result: 'failed' });
    deps.errors.inc({ code: 'TWILIO_HANDOFF_FAILED' });
    log.error({ code: 'TWILIO_HANDOFF_FAILED', reason: outcome.reason, ...twilioFailure(err) }, 'Flex interaction not created: the bot keeps the conversation');
    return;
  }
  if (!tenant.detachWebhooks) return;
  try {
    const removed = await rest.detachWebhooks(msg.conversationSid, '/chat/twilio');
    log.debug({ removed }, 'bot webhooks removed from the conversation');
  } catch (err) {
    deps.errors.inc({ code: 'TWILIO_DETACH_FAILED' });
    log.warn({ code: 'TWILIO_DETACH_FAILED', ...twilioFailure(err) }, 'bot webhook not removed; later messages are still ignored by this server');
  }
}

/** Sets the conversation's state to closed; false (logged, counted) when Twilio refused. */
async function closeConversation(deps: TwilioTurnDeps, rest: TwilioRest, sid: string, outcome: RuleOutcome, log: Logger): Promise<boolean> {
  try {
    await rest.closeConversation(sid);
    deps.metrics.closes.inc({ channel: 'twilio', result: 'ok' });
    log.info({ reason: outcome.reason }, 'conversation closed by the bot');
    return true;
  } catch (err) {
    deps.metrics.closes.inc({ channel: 'twilio', result: 'failed' });
    deps.errors.inc({ code: 'TWILIO_CLOSE_FAILED' });
    log.error({ code: 'TWILIO_CLOSE_FAILED', reason: outcome.reason, ...twilioFailure(err) }, 'conversation not closed: the bot keeps answering');
    return false;
  }
}

/** Loggable facts of a Twilio REST failure (status, Twilio error code, network code); never the message text. */
export function twilioFailure(err: unknown): { status?: number; twilioCode?: number; netCode?: string } {
  const e = err as { status?: unknown; code?: unknown } | undefined;
  return {
    status: typeof e?.status === 'number' ? e.status : undefined,
    twilioCode: typeof e?.code === 'number' ? e.code : undefined,
    netCode: typeof e?.code === 'string' ? e.code : undefined,
  };
}
