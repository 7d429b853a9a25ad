import { describe, expect, it } from 'vitest';
import { EventQueue, type QueueSink } from '../../src/bots/lexv2/event-queue.js';

/** A sink that takes `room` items, then reports itself full until given more room. */
interface TestSink extends QueueSink<string> {
  got: string[];
  room: number;
  ended: number;
}

function sink(room: number): TestSink {
  const s: TestSink = {
    got: [],
    room,
    ended: 0,
    take(item) {
      s.got.push(item);
      return --s.room > 0;
    },
    end() {
      s.ended++;
    },
  };
  return s;
}

describe('EventQueue with a synchronous sink', () => {
  it('hands over what was queued before attaching, then each item as it is pushed, in order', () => {
    const q = new EventQueue<string>(10);
    q.push('config');
    q.push('a1', true);
    const s = sink(100);
    q.attach(s);
    expect(s.got).toEqual(['config', 'a1']);
    q.push('a2', true);
    expect(s.got).toEqual(['config', 'a1', 'a2']);
  });

  it('queues while the sink is full, bounded for droppable items, and resumes in order', () => {
    const q = new EventQueue<string>(2, 3);
    const s = sink(1);
    q.attach(s);
    expect(q.push('a1', true)).toBe(true); // taken; the sink is now full
    expect(q.push('a2', true)).toBe(true);
    expect(q.push('a3', true)).toBe(true);
    expect(q.push('a4', true)).toBe(false); // over the bound: dropped
    expect(q.push('dtmf')).toBe(true); // control events are kept up to the total bound
    expect(q.push('dtmf2')).toBe(false); // over the total bound: refused
    expect(s.got).toEqual(['a1']);
    s.room = 2;
    q.resume();
    expect(s.got).toEqual(['a1', 'a2', 'a3']);
    s.room = 100;
    q.resume();
    expect(s.got).toEqual(['a1', 'a2', 'a3', 'dtmf']);
  });

  it('ends the sink once, after the queued items', () => {
    const q = new EventQueue<string>();
    const s = sink(1);
    q.attach(s);
    q.push('a1');
    q.push('a2');
    q.end();
    expect(s.ended).toBe(0);
    expect(q.push('late')).toBe(false);
    s.room = 100;
    q.resume();
    q.resume();
    expect(s.got).toEqual(['a1', 'a2']);
    expect(s.ended).toBe(1);
  });

  it('detach drops what is queued and refuses more', () => {
    const q = new EventQueue<string>();
    const s = sink(1);
    q.attach(s);
    q.push('a1');
    q.push('a2');
    q.detach();
    q.resume();
    expect(q.push('a3')).toBe(false);
    expect(s.got).toEqual(['a1']);
    expect(s.ended).toBe(0);
  });

  it('still works as an async iterable without a sink', async () => {
    const q = new EventQueue<string>();
    q.push('x');
    q.end();
    const seen: string[] = [];
    for await (const v of q) seen.push(v);
    expect(seen).toEqual(['x']);
  });
});
