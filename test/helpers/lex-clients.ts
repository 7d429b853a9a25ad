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

/** An async iterable fed by `push`, ended by `end` (a live request event stream). */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private done = false;

  push(item: T): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.done = true;
    this.waiting?.({ value: undefined as never, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.done) return Promise.resolve({ value: undefined as never, done: true });
        return new Promise((r) => (this.waiting = r));
      },
    };
  }
}
