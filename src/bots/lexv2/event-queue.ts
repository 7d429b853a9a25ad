/** A synchronous consumer of an `EventQueue` (see `attach`). */
export interface QueueSink<T> {
  /** Takes one item; returns false when it can take no more until the queue's `resume()`. */
  take(item: T): boolean;
  /** No more items will come. */
  end(): void;
}

/**
 * The request side of a StartConversation stream: an async iterable the SDK pulls events
 * from. Bounded: when Lex stops reading, audio beyond `maxPending` is refused (`push`
 * returns false, the caller counts it) rather than buffered without limit; control events are
 * kept up to `maxTotal` items in all (then refused too: the caller ends the call).
 *
 * A consumer may instead `attach` a synchronous sink: items then go to the sink as they
 * are pushed, and wait in the queue (bounded the same way) only while the sink is full.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private sink: QueueSink<T> | undefined;
  private sinkFull = false;
  private sinkEnded = false;
  private delivering = false;

  constructor(
    private readonly maxPending = Infinity,
    private readonly maxTotal = Infinity,
  ) {}

  /** Queues an item; `droppable` items are refused when `maxPending` are waiting. Returns false when refused or ended. */
  push(item: T, droppable = false): boolean {
    if (this.ended) return false;
    if (this.sink && !this.sinkFull && this.items.length === 0) {
      this.sinkFull = !this.sink.take(item);
      return true;
    }
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
      return true;
    }
    if (droppable && this.items.length >= this.maxPending) return false;
    if (this.items.length >= this.maxTotal) return false;
    this.items.push(item);
    return true;
  }

  /** Ends the queue and forgets what was not sent (a cancelled stream must not keep the caller's input alive). */
  discard(): void {
    this.items.length = 0;
    this.end();
  }

  /** No more items: the SDK then sends its final signed frame and ends the request. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.sink) {
      // Queued items still go first, when the sink can take them.
      if (this.items.length === 0) this.endSink();
      return;
    }
    if (this.items.length === 0 && this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined as never, done: true });
    }
  }

  /**
   * Delivers items to `sink` from now on, starting with those already queued, instead of
   * through the async iterator (which must not be used as well).
   */
  attach(sink: QueueSink<T>): void {
    if (this.sink) throw new Error('event queue already has a sink');
    this.sink = sink;
    this.resume();
  }

  /** The sink can take items again: hands it what is queued, then the end if it came. */
  resume(): void {
    const sink = this.sink;
    if (!sink || this.sinkEnded || this.delivering) return;
    this.sinkFull = false;
    this.delivering = true;
    try {
      while (!this.sinkFull && this.items.length > 0) this.sinkFull = !sink.take(this.items.shift()!);
    } finally {
      this.delivering = false;
    }
    if (this.ended && this.items.length === 0) this.endSink();
  }

  /** Stops delivering to the sink and drops what is queued: the consumer is gone. */
  detach(): void {
    this.ended = true;
    this.sinkEnded = true;
    this.items.length = 0;
  }

  private endSink(): void {
    if (this.sinkEnded) return;
    this.sinkEnded = true;
    this.sink!.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined as never, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.ended = true;
        this.items.length = 0;
        return Promise.resolve({ value: undefined as never, done: true });
      },
    };
  }
}
