import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Chat metrics, on the connector's registry (docs/operations.md, "Chat"). `channel` is `twilio` or `api`. */
export class ChatMetrics {
  readonly turns: Counter<'channel'>;
  readonly handoffs: Counter<'channel' | 'result'>;
  readonly closes: Counter<'channel' | 'result'>;
  readonly lexLatency: Histogram<'channel'>;
  readonly twilioLatency: Histogram<'op' | 'status'>;
  readonly twilioRetries: Counter<'op' | 'status'>;
  readonly messages: Counter<'result'>;
  readonly webhooks: Counter<'result'>;
  readonly queueDrops: Counter<'channel' | 'reason'>;
  readonly activeConversations: Gauge;

  /** `active` reports the conversations with work in flight at scrape time. */
  constructor(registry: Registry, active: () => number = () => 0) {
    const registers = [registry];
    this.turns = new Counter({ name: 'lexconn_chat_turns_total', help: 'Chat turns sent to Lex RecognizeText', labelNames: ['channel'], registers });
    this.handoffs = new Counter({ name: 'lexconn_chat_handoffs_total', help: 'Conversations handed to a human (result: ok or failed)', labelNames: ['channel', 'result'], registers });
    this.closes = new Counter({ name: 'lexconn_chat_closes_total', help: 'Conversations closed by the bot (result: ok or failed)', labelNames: ['channel', 'result'], registers });
    this.lexLatency = new Histogram({
      name: 'lexconn_chat_lex_seconds',
      help: 'Lex RecognizeText request duration',
      labelNames: ['channel'],
      buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10],
      registers,
    });
    this.twilioLatency = new Histogram({
      name: 'lexconn_chat_twilio_request_seconds',
      help: 'Twilio REST request duration per attempt (op: message.create, conversation.update, interaction.create, webhook.list, webhook.remove)',
      labelNames: ['op', 'status'],
      buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10],
      registers,
    });
    this.twilioRetries = new Counter({
      name: 'lexconn_chat_twilio_retries_total',
      help: 'Twilio REST requests retried, by operation and status (or network error)',
      labelNames: ['op', 'status'],
      registers,
    });
    this.messages = new Counter({ name: 'lexconn_chat_bot_messages_total', help: 'Bot messages posted to Twilio (result: posted or failed)', labelNames: ['result'], registers });
    this.webhooks = new Counter({
      name: 'lexconn_chat_webhooks_total',
      help: 'Twilio Conversations webhooks by outcome (queued, ignored, duplicate, forbidden, invalid, refused)',
      labelNames: ['result'],
      registers,
    });
    this.queueDrops = new Counter({
      name: 'lexconn_chat_queue_drops_total',
      help: 'Chat messages refused because a queue was full or the server was draining',
      labelNames: ['channel', 'reason'],
      registers,
    });
    this.activeConversations = new Gauge({
      name: 'lexconn_chat_active_conversations',
      help: 'Conversations (and API sessions) with chat work queued or running',
      registers,
      collect() {
        this.set(active());
      },
    });
  }
}
