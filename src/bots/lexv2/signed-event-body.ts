import { Readable } from 'node:stream';
import { EventEncoder, type EventSerializer } from './event-encoder.js';
import type { EventSigner } from './event-signer.js';
import type { EventQueue } from './event-queue.js';

const END_OF_STREAM = new Uint8Array(0);

/**
 * The body of an event-stream request: a byte stream of signed event messages, produced
 * from the modeled events the SDK hands its marshaller. It stays idle until `start` gives
 * it the request's signer (the seed signature exists only once the request is signed);
 * then each event is encoded, signed and pushed as one chunk, and the end of the events
 * becomes the signed empty frame that ends the stream, as the SDK's own pipeline does.
 *
 * Events come from the SDK's async iterable, or, when the request's event stream is the
 * connector's own `EventQueue`, straight from the queue as they are pushed (no promise
 * or generator step per event).
 *
 * Flow control: events are taken only while the HTTP/2 stream accepts data, so a peer
 * that stops reading leaves the events waiting in their source (which bounds them).
 */
export class SignedEventBody extends Readable {
  private readonly encoder: EventEncoder;
  private wake: (() => void) | undefined;
  private queue: EventQueue<object> | undefined;
  private started = false;

  constructor(
    private readonly events: AsyncIterable<object>,
    serialize: EventSerializer,
  ) {
    super();
    this.encoder = new EventEncoder(serialize);
  }

  /**
   * Starts taking events, from `queue` when given (the same events the SDK's iterable
   * would yield), else from the SDK's iterable. `now` gives the signing time in epoch ms
   * (the SDK's clock, skew-corrected). Settles when the events end or fail; a failure
   * also destroys the body.
   */
  start(signer: EventSigner, now: () => number, queue?: EventQueue<object>): Promise<void> {
    if (this.started) throw new Error('event stream body already started');
    this.started = true;
    const done = queue ? this.attach(queue, signer, now) : this.pump(signer, now);
    return done.catch((err: unknown) => {
      this.destroy(err as Error);
      throw err;
    });
  }

  override _read(): void {
    if (this.queue) return this.queue.resume();
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.queue?.detach();
    this.wake?.();
    this.wake = undefined;
    cb(err);
  }

  private attach(queue: EventQueue<object>, signer: EventSigner, now: () => number): Promise<void> {
    this.queue = queue;
    return new Promise<void>((resolve, reject) => {
      queue.attach({
        take: (event) => {
          if (this.destroyed) return false;
          try {
            return this.push(signer.frame(this.encoder.encode(event), now()));
          } catch (err) {
            reject(err);
            return false;
          }
        },
        end: () => {
          if (this.destroyed) return resolve();
          try {
            this.push(signer.frame(END_OF_STREAM, now()));
            this.push(null);
            resolve();
          } catch (err) {
            reject(err);
          }
        },
      });
    });
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
