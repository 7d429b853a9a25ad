/**
 * The request side of a StartConversation stream: an async iterable the SDK pulls events
 * from. Bounded: when Lex stops reading, audio beyond `maxPending` is refused (`push`
 * returns false, the caller counts it) rather than buffered without limit; control events are
 * kept up to `maxTotal` items in all (then refused too: the caller ends the call).
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly maxPending = Infinity,
    private readonly maxTotal = Infinity,
  ) {}

  /** Queues an item; `droppable` items are refused when `maxPending` are waiting. Returns false when refused or ended. */
  push(item: T, droppable = false): boolean {
    if (this.ended) return false;
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
    if (this.items.length === 0 && this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined as never, done: true });
    }
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
