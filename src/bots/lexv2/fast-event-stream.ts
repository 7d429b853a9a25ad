import { eventStreamSerdeProvider as sdkSerdeProvider } from '@smithy/core/event-streams';
import type { AwsCredentialIdentity, EventStreamMarshaller, EventStreamPayloadHandler, FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import { EventSigner } from './event-signer.js';
import { EventQueue } from './event-queue.js';
import { SignedEventBody } from './signed-event-body.js';
import { decodeEvents } from './event-decoder.js';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** The parts of the resolved client config the payload handler reads (as the SDK's own does). */
interface ResolvedConfig {
  credentials?: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>);
  /** Kept up to date by the SDK when it corrects clock skew. */
  systemClockOffset?: number;
}

const SEED_RE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,.*Signature=([0-9a-f]+)$/;

/**
 * The SDK's event-stream marshaller, made cheap per event: request events become a
 * `SignedEventBody` (encoded and signed in one step by the payload handler below) instead
 * of the SDK's chain of async generators and object-mode streams; response messages are
 * read by `decodeEvents`, which hands all but AudioResponseEvents to the SDK's own
 * unmarshaller.
 */
export function fastEventStreamSerdeProvider(options: Parameters<typeof sdkSerdeProvider>[0]): EventStreamMarshaller {
  const sdk = sdkSerdeProvider(options);
  const utf8 = { toUtf8: options.utf8Encoder ?? toUtf8, fromUtf8: options.utf8Decoder ?? fromUtf8 };
  return {
    // Response bodies of the Node HTTP/2 handler are async-iterable streams; anything else goes to the SDK.
    deserialize: (body, deserializer) =>
      typeof (body as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === 'function' ? decodeEvents(body as AsyncIterable<Uint8Array>, deserializer, utf8) : sdk.deserialize(body, deserializer),
    serialize: (input, serializer) => new SignedEventBody(input as AsyncIterable<object>, serializer as (e: object) => ReturnType<typeof serializer>),
  } as EventStreamMarshaller;
}

/**
 * Signs event-stream request bodies: reads the seed signature and credential scope from
 * the signed request, then starts the body's events (SigV4 event signing, protocols.md
 * §4.7) while the request goes out. Takes the place of the SDK's
 * `EventStreamPayloadHandler`, with the same inputs: the client's credentials and its
 * clock-skew offset.
 */
class FastEventStreamPayloadHandler implements EventStreamPayloadHandler {
  constructor(private readonly config: ResolvedConfig) {}

  async handle<Input extends object, Output extends MetadataBearer>(next: FinalizeHandler<Input, Output>, args: FinalizeHandlerArguments<Input>, context: HandlerExecutionContext = {}) {
    const request = args.request as { body?: unknown; headers?: Record<string, string> };
    const body = request.body;
    if (!(body instanceof SignedEventBody)) throw new TypeError('event-stream payload must come from fastEventStreamSerdeProvider');
    const auth = request.headers?.authorization ?? request.headers?.Authorization ?? '';
    const m = SEED_RE.exec(auth);
    if (!m) throw new TypeError('event-stream request is not SigV4-signed with an Authorization header');
    const [, region, service, seed] = m;
    const c = this.config.credentials;
    const creds = typeof c === 'function' ? await c() : c;
    if (!creds?.secretAccessKey) throw new TypeError('event-stream signing needs credentials');
    const staticSignature = (context as { __staticSignature?: boolean }).__staticSignature;
    const signer = new EventSigner(creds.secretAccessKey, region, service, staticSignature ? '' : seed);
    // The connector's own queue is read directly; any other event source through the SDK's iterable.
    const source = (args.input as { requestEventStream?: unknown }).requestEventStream;
    const queue = source instanceof EventQueue ? (source as EventQueue<object>) : undefined;
    let settled = false;
    // A failure of the events before the response arrives fails the request, as in the SDK.
    const failed = body
      .start(signer, () => Date.now() + (this.config.systemClockOffset ?? 0), queue)
      .then(
        () => new Promise<never>(() => {}),
        (err: unknown) => {
          if (settled) return new Promise<never>(() => {});
          throw new Error(`event stream failed: ${(err as Error).message}`, { cause: err });
        },
      );
    try {
      return await Promise.race([next(args), failed]);
    } catch (err) {
      body.destroy();
      throw err;
    } finally {
      settled = true;
    }
  }
}

/** Provider for the client config's `eventStreamPayloadHandlerProvider`. */
export function fastEventStreamPayloadHandlerProvider(config: ResolvedConfig): EventStreamPayloadHandler {
  return new FastEventStreamPayloadHandler(config);
}

/**
 * Client options that make StartConversation's per-event path cheap, through the SDK's
 * own extension points: spread into a `LexRuntimeV2Client` config. The HTTP/2 handler,
 * request signing, retries and response parsing stay the SDK's.
 */
export function fastEventStreamOptions(): {
  eventStreamSerdeProvider: typeof fastEventStreamSerdeProvider;
  eventStreamPayloadHandlerProvider: typeof fastEventStreamPayloadHandlerProvider;
} {
  return { eventStreamSerdeProvider: fastEventStreamSerdeProvider, eventStreamPayloadHandlerProvider: fastEventStreamPayloadHandlerProvider };
}
