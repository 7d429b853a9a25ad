import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/chat/keyed-queue.js';

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('KeyedQueue', () => {
  it('runs one key in push order, one at a time, while other keys run independently', async () => {
    const q = new KeyedQueue(10, 10, () => undefined);
    const log: string[] = [];
    const a1 = gate();
    q.push('a', async () => {
      log.push('a1 start');
      await a1.promise;
      log.push('a1 end');
    });
    q.push('a', async () => {
      log.push('a2');
    });
    q.push('b', async () => {
      log.push('b1');
    });
    await new Promise((r) => setImmediate(r));
    // b ran although a1 is still running; a2 waits for a1.
    expect(log).toEqual(['a1 start', 'b1']);
    a1.open();
    await q.idle();
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('is bounded per key and in keys, and reports failures without stopping the key', async () => {
    const errors: unknown[] = [];
    const q = new KeyedQueue(2, 2, (_k, e) => errors.push(e));
    const g = gate();
    expect(q.push('a', () => g.promise)).toBeUndefined();
    expect(
      q.push('a', async () => {
        throw new Error('boom');
      }),
    ).toBeUndefined();
    expect(q.push('a', async () => undefined)).toBe('key-full');
    expect(q.push('b', () => g.promise)).toBeUndefined();
    expect(q.push('c', async () => undefined)).toBe('too-many-keys');
    expect(q.depth('a')).toBe(2);
    g.open();
    await q.idle();
    expect(errors).toHaveLength(1);
    expect(q.activeKeys).toBe(0);
    expect(q.push('c', async () => undefined)).toBeUndefined();
    q.close();
    expect(q.push('d', async () => undefined)).toBe('closed');
  });
});
