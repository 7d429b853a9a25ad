import { LexRuntimeServiceClient } from '@aws-sdk/client-lex-runtime-service';
import { LexRuntimeV2Client } from '@aws-sdk/client-lex-runtime-v2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEMO_KEY } from '../../src/emulator/sigv4.js';

/** Credentials of the emulator's demo key pair. */
export const demoCredentials = { accessKeyId: DEMO_KEY.accessKeyId, secretAccessKey: DEMO_KEY.secretAccessKey };

/** A V1 client against `url`; `maxAttempts: 1` so injected faults surface unretried. */
export function v1Client(url: string, credentials = demoCredentials, requestTimeout?: number): LexRuntimeServiceClient {
  return new LexRuntimeServiceClient({
    region: 'us-east-1',
    endpoint: url,
    credentials,
    maxAttempts: 1,
    ...(requestTimeout ? { requestHandler: new NodeHttpHandler({ requestTimeout, throwOnRequestTimeout: true }) } : {}),
  });
}

/** A V2 client (HTTP/2 by default, as in production). */
export function v2Client(url: string, credentials = demoCredentials, extra: Record<string, unknown> = {}): LexRuntimeV2Client {
  return new LexRuntimeV2Client({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1, ...extra });
}

/** The connector's own request-stream queue doubles as the tests' live event stream. */
export { EventQueue } from '../../src/bots/lexv2/event-queue.js';
