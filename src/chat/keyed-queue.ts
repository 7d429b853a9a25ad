/** Why `KeyedQueue.push` refused a task. */
export type QueueRefusal = 'key-full' | 'too-many-keys' | 'closed';

/**
 * Runs tasks one at a time per key, in push order, with keys fully independent: a slow task
 * of one key never delays another key. Bounded: at most `maxPerKey` tasks waiting or running
 * per key and `maxKeys` keys with work at once; `push` refuses beyond that (nothing is
 * queued unboundedly). A task's rejection is reported through `onError`, never thrown.
 */
export class KeyedQueue {
  private readonly queues = new Map<string, Array<() => Promise<void>>>();
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly maxPerKey: number,
    private readonly maxKeys: number,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  /** Keys with work waiting or running. */
  get activeKeys(): number {
    return this.queues.size;
  }

  /** Every key with work, and how many tasks it has waiting or running. */
  entries(): [string, number][] {
    return [...this.queues].map(([key, q]) => [key, q.length]);
  }

  /** Tasks waiting or running for `key`. */
  depth(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  /** Queues `task` behind the key's earlier tasks; returns a refusal reason or undefined when queued. */
  push(key: string, task: () => Promise<void>): QueueRefusal | undefined {
    if (this.closed) return 'closed';
    let q = this.queues.get(key);
    if (!q) {
      if (this.queues.size >= this.maxKeys) return 'too-many-keys';
      q = [];
      this.queues.set(key, q);
    }
    if (q.length >= this.maxPerKey) return 'key-full';
    q.push(task);
    if (q.length === 1) void this.run(key, q);
    return undefined;
  }

  private async run(key: string, q: Array<() => Promise<void>>): Promise<void> {
    while (q.length > 0) {
      try {
        await q[0]();
      } catch (err) {
        this.onError(key, err);
      }
      q.shift();
    }
    this.queues.delete(key);
    if (this.queues.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Refuses new tasks from now on (drain). */
  close(): void {
    this.closed = true;
  }

  /** Resolves when no key has work. */
  idle(): Promise<void> {
    if (this.queues.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
