import type { Twilio } from 'twilio';
import type { ConversationContext } from 'twilio/lib/rest/conversations/v1/conversation.js';
import type { ChatTenant } from './chat-config.js';
import { createTwilioHttpClient, type TwilioHttpOptions } from './twilio-http-client.js';

/** What the chat channel does through Twilio's REST API, for one tenant. */
export interface TwilioRest {
  /** Posts a message as `author` (no `X-Twilio-Webhook-Enabled`, so it does not come back as a webhook). Returns the `IM…` sid. */
  postMessage(conversationSid: string, author: string, body: string, attributes?: Record<string, unknown>): Promise<string>;
  /** Sets the conversation's state to `closed` (final). */
  closeConversation(conversationSid: string): Promise<void>;
  /** Creates a Flex interaction for the existing conversation; returns the `KD…` sid. */
  createInteraction(conversationSid: string, taskAttributes: Record<string, unknown>): Promise<string>;
  /** Deletes the conversation-scoped webhooks whose URL path is `path`; returns how many. */
  detachWebhooks(conversationSid: string, path: string): Promise<number>;
}

type TwilioFactory = typeof import('twilio');

let loaded: Promise<TwilioFactory> | undefined;

/** Loads the `twilio` package on first use (about 110 ms of import time; see docs/dependencies.md). */
export function loadTwilio(): Promise<TwilioFactory> {
  loaded ??= import('twilio').then((m) => (m as unknown as { default: TwilioFactory }).default);
  return loaded;
}

/** A `TwilioRest` for `tenant` through the official helper library with our retrying transport. */
export function createTwilioRest(twilio: TwilioFactory, tenant: ChatTenant, http: TwilioHttpOptions): TwilioRest {
  const httpClient = createTwilioHttpClient(twilio.RequestClient, http);
  const client: Twilio = tenant.apiKey
    ? twilio(tenant.apiKey.sid, tenant.apiKey.secret.reveal(), { accountSid: tenant.accountSid, httpClient })
    : twilio(tenant.accountSid, tenant.authToken.reveal(), { httpClient });
  // The service-scoped context has the same messages/update/webhooks calls as the default one.
  const conv = (sid: string): ConversationContext =>
    tenant.conversationServiceSid ? (client.conversations.v1.services(tenant.conversationServiceSid).conversations(sid) as unknown as ConversationContext) : client.conversations.v1.conversations(sid);
  const { flex } = tenant;
  return {
    async postMessage(sid, author, body, attributes) {
      const m = await conv(sid).messages.create({ author, body, ...(attributes ? { attributes: JSON.stringify(attributes) } : {}) });
      return m.sid;
    },
    async closeConversation(sid) {
      await conv(sid).update({ state: 'closed' });
    },
    async createInteraction(sid, taskAttributes) {
      const i = await client.flexApi.v1.interaction.create({
        channel: { type: flex.channelType, initiated_by: 'customer', properties: { media_channel_sid: sid } },
        routing: {
          properties: {
            workspace_sid: flex.workspaceSid,
            ...(flex.workflowSid ? { workflow_sid: flex.workflowSid } : {}),
            task_channel_unique_name: flex.taskChannel,
            attributes: taskAttributes,
          },
        },
      });
      return i.sid;
    },
    // The webhook request's `WebhookSid` field is UNVERIFIED (not in Twilio's tables, §1.3), so the
    // bot's webhooks are found by listing the conversation's and matching the URL path.
    async detachWebhooks(sid, path) {
      const hooks = await conv(sid).webhooks.list({ limit: 5 });
      let removed = 0;
      for (const h of hooks) {
        const url = (h.configuration as { url?: string } | undefined)?.url;
        if (h.target !== 'webhook' || !url) continue;
        let p: string;
        try {
          p = new URL(url).pathname;
        } catch {
          continue;
        }
        if (p !== path) continue;
        try {
          await conv(sid).webhooks(h.sid).remove();
          removed++;
        } catch (err) {
          // 404 / 50360: already removed (protocols-chat-handoff.md §3.3).
          if ((err as { status?: number }).status !== 404) throw err;
        }
      }
      return removed;
    },
  };
}
