import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { LexRuntimeServiceClient } from '@aws-sdk/client-lex-runtime-service';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import type { SdkLogger } from './sdk-logger.js';
import { fastEventStreamOptions } from './lexv2/fast-event-stream.js';

/** Server-side Lex settings (never per call: no endpoint comes from a caller). */
export interface LexSettings {
  endpointUrl?: string;
  timeoutMs: number;
  maxAttempts: number;
  /** Where the SDK's own log lines go (`sdkLogger`); without it the SDK writes some to the console. */
  logger?: SdkLogger;
  /**
   * StartConversation events encoded and signed by `fast-event-stream.ts` (default) rather
   * than the SDK's generic pipeline; `false` is for A/B benchmarks.
   */
  fastEventStream?: boolean;
}

/** The call's own AWS identity: all a Lex client needs from the call. */
export interface LexCredentials {
  awsKey: string;
  awsSecret: string;
  awsSessionToken?: string;
  awsRegion: string;
}

/** Builds per-call SDK clients from the call's own credentials. */
export interface LexClientFactory {
  v1(call: LexCredentials): LexRuntimeServiceClient;
  /** `streaming`: HTTP/2 for StartConversation; otherwise HTTP/1.1 keep-alive. */
  v2(call: LexCredentials, streaming: boolean): LexRuntimeV2Client;
}

function credentials(call: LexCredentials) {
  return { accessKeyId: call.awsKey, secretAccessKey: call.awsSecret, sessionToken: call.awsSessionToken };
}

/** The longest utterance a call may stream into one request (`clip_max` at most), ms. */
const LONGEST_UTTERANCE_MS = 15_000;

/**
 * The production factory. Per-utterance requests use HTTP/1.1 with a keep-alive agent
 * per call (the next utterance reuses the connection); StartConversation needs HTTP/2.
 * `timeoutMs` (LEX_TIMEOUT_MS) is Lex's time to answer once the caller's input ended: the
 * sessions time that themselves; here it bounds a silent socket, and the whole request is only
 * backstopped at the longest utterance plus that time, since the request streams while the
 * caller speaks.
 */
export function createLexClientFactory(s: LexSettings): LexClientFactory {
  const http1 = () =>
    new NodeHttpHandler({
      requestTimeout: LONGEST_UTTERANCE_MS + s.timeoutMs,
      socketTimeout: s.timeoutMs,
      connectionTimeout: Math.min(s.timeoutMs, 3000),
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 2 }),
      httpsAgent: new Agent({ keepAlive: true, maxSockets: 2 }),
    });
  return {
    v1: (call) =>
      new LexRuntimeServiceClient({
        region: call.awsRegion,
        endpoint: s.endpointUrl,
        credentials: credentials(call),
        maxAttempts: s.maxAttempts,
        logger: s.logger,
        requestHandler: http1(),
      }),
    v2: (call, streaming) =>
      new LexRuntimeV2Client({
        region: call.awsRegion,
        endpoint: s.endpointUrl,
        credentials: credentials(call),
        maxAttempts: s.maxAttempts,
        logger: s.logger,
        requestHandler: streaming ? new NodeHttp2Handler({ requestTimeout: 0, sessionTimeout: 0, disableConcurrentStreams: true }) : http1(),
        ...(streaming && s.fastEventStream !== false ? fastEventStreamOptions() : {}),
      }),
  };
}
