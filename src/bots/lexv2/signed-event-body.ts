import { Readable } from 'node:stream';
import { EventEncoder, type EventSerializer } from './event-encoder.js';
import type { EventSigner } from './event-signer.js';

const END_OF_STREAM = new Uint8Array(0);

/**
 * The body of an event-stream request: a byte stream of signed event messages, produced
 * from the modeled events the SDK hands its marshaller. It stays idle until `start` gives
 * it the request's signer (the seed signature exists only once the request is signed);
 * then each event is encoded, signed and pushed as one chunk, and the end of the events
 * becomes the signed empty frame that ends the stream, as the SDK's own pipeline does.
 *
 * Flow control: events are pulled only while the HTTP/2 stream accepts data, so a peer
 * that stops reading leaves the events waiting in their source (which bounds them).
 */
export class SignedEventBody extends Readable {
  private readonly encoder: EventEncoder;
  private wake: (() => void) | undefined;
  private started = false;

  constructor(
    private readonly events: AsyncIterable<object>,
    serialize: EventSerializer,
  ) {
    super();
    this.encoder = new EventEncoder(serialize);
  }

  /**
   * Starts pulling events. `now` gives the signing time in epoch ms (the SDK's clock,
   * skew-corrected). Settles when the events end or fail; a failure also destroys the body.
   */
  start(signer: EventSigner, now: () => number): Promise<void> {
    if (this.started) throw new Error('event stream body already started');
    this.started = true;
    return this.pump(signer, now).catch((err: unknown) => {
      this.destroy(err as Error);
      throw err;
    });
  }

  override _read(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this._read();
    cb(err);
  }

  private async pump(signer: EventSigner, now: () => number): Promise<void> {
    const it = this.events[Symbol.asyncIterator]();
    try {
      for (;;) {
        const r = await it.next();
        if (this.destroyed) return;
        if (r.done) {
          this.push(signer.frame(END_OF_STREAM, now()));
          this.push(null);
          return;
        }
        if (!this.push(signer.frame(this.encoder.encode(r.value), now()))) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          if (this.destroyed) return;
        }
      }
    } finally {
      if (this.destroyed) await it.return?.();
    }
  }
}
