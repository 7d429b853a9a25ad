import type { SdkLogger } from '../bots/sdk-logger.js';
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { LexRuntimeV2Client, RecognizeTextCommand, type RecognizeTextCommandOutput, type Slot } from '@aws-sdk/client-lex-runtime-v2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fromLexError } from '../bots/errors.js';

/** Credentials for one RecognizeText; `undefined` uses the SDK's default provider chain (server credentials). */
export interface TextCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The address and input of one RecognizeText turn. */
export interface TextTurn {
  botId: string;
  botAliasId: string;
  localeId: string;
  sessionId: string;
  text: string;
  sessionAttributes?: Record<string, string>;
  requestAttributes?: Record<string, string>;
}

/** Intent, slots (as plain values) and dialog state of a response, for APIs and task attributes. */
export interface TurnSummary {
  intent: { name: string; state?: string; confirmationState?: string; slots: Record<string, string | string[] | null> } | null;
  dialogAction: { type?: string; slotToElicit?: string };
  sessionAttributes: Record<string, string>;
  nluConfidence?: number;
}

/** A slot's value as chat shows it: the interpreted value, the list for `List` slots, or null. */
function slotValue(s: Slot | undefined): string | string[] | null {
  if (!s) return null;
  if (s.values?.length) return s.values.map((v) => v.value?.interpretedValue ?? v.value?.originalValue ?? '').filter(Boolean);
  return s.value?.interpretedValue ?? s.value?.originalValue ?? null;
}

/** Summarises a RecognizeText response (no messages; see `renderMessages`). */
export function summarize(r: Pick<RecognizeTextCommandOutput, 'sessionState' | 'interpretations'>): TurnSummary {
  const i = r.sessionState?.intent;
  const slots: Record<string, string | string[] | null> = {};
  for (const [k, v] of Object.entries(i?.slots ?? {})) slots[k] = slotValue(v);
  // A missing score means "unknown", not 0 (FallbackIntent typically has none: UNVERIFIED, §6.4).
  const top = r.interpretations?.find((x) => x.intent?.name === i?.name);
  return {
    intent: i?.name ? { name: i.name, state: i.state, confirmationState: i.confirmationState, slots } : null,
    dialogAction: { type: r.sessionState?.dialogAction?.type, slotToElicit: r.sessionState?.dialogAction?.slotToElicit },
    sessionAttributes: { ...(r.sessionState?.sessionAttributes ?? {}) },
    nluConfidence: top?.nluConfidence?.score,
  };
}

/** Server-side Lex settings shared by the chat clients (never per request). */
export interface LexTextSettings {
  endpointUrl?: string;
  timeoutMs: number;
  maxAttempts: number;
  /** Clients kept for reuse, keyed by credentials and region (least recently used dropped). */
  maxClients?: number;
  /** Where the SDK's own log lines go (`bots/sdk-logger.ts`). */
  logger?: SdkLogger;
}

/**
 * RecognizeText through the real `LexRuntimeV2Client` (HTTP/1.1 keep-alive, the endpoint
 * override of `LEX_ENDPOINT_URL` as on the voice routes). Clients are cached per
 * credentials + region under a hash, so a repeated caller reuses its connection.
 */
export class LexText {
  private readonly clients = new Map<string, LexRuntimeV2Client>();
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly s: LexTextSettings) {}

  private client(region: string, creds: TextCredentials | undefined): LexRuntimeV2Client {
    const key = createHash('sha256')
      .update(JSON.stringify([region, creds?.accessKeyId, creds?.secretAccessKey, creds?.sessionToken]))
      .digest('hex');
    let c = this.clients.get(key);
    if (c) {
      this.clients.delete(key);
      this.clients.set(key, c);
      return c;
    }
    c = new LexRuntimeV2Client({
      region,
      endpoint: this.s.endpointUrl,
      // undefined: the SDK's default provider chain (env, shared files, container/instance roles)
      credentials: creds ? { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken } : undefined,
      maxAttempts: this.s.maxAttempts,
      logger: this.s.logger,
      requestHandler: new NodeHttpHandler({
        requestTimeout: this.s.timeoutMs,
        connectionTimeout: Math.min(this.s.timeoutMs, 3000),
        throwOnRequestTimeout: true,
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
      }),
    });
    this.clients.set(key, c);
    // The handlers share the agents, so an evicted client is simply dropped (destroy() would close the shared agents).
    if (this.clients.size > (this.s.maxClients ?? 256)) this.clients.delete(this.clients.keys().next().value!);
    return c;
  }

  /** One RecognizeText; Lex/SDK errors are thrown as `ConnectorError` (src/bots/errors.ts). */
  async recognize(region: string, creds: TextCredentials | undefined, t: TextTurn, signal?: AbortSignal): Promise<RecognizeTextCommandOutput> {
    try {
      return await this.client(region, creds).send(
        new RecognizeTextCommand({
          botId: t.botId,
          botAliasId: t.botAliasId,
          localeId: t.localeId,
          sessionId: t.sessionId,
          text: t.text,
          // UNVERIFIED: that Lex keeps the dialog (intent, slot to elicit) when a turn sends a
          // sessionState holding only sessionAttributes; the emulator does. Sent only when the
          // caller gave attributes, so a plain turn never touches the stored state.
          sessionState: t.sessionAttributes ? { sessionAttributes: t.sessionAttributes } : undefined,
          requestAttributes: t.requestAttributes,
        }),
        { abortSignal: signal },
      );
    } catch (err) {
      throw fromLexError(err);
    }
  }

  /** Closes the pooled connections. */
  close(): void {
    this.clients.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
