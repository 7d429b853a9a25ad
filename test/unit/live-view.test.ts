import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/call/call-events.js';
import { liveView } from '../../src/call/live-view.js';

describe('live view sink', () => {
  it('makes no sink for a call without a live channel (telephony)', () => {
    expect(liveView({ callId: 'c', route: 'v2', platform: 'vonage' })).toBeUndefined();
  });

  it('forwards every event as it is, whatever its type, with the call id and a sequence number', () => {
    const sent: Record<string, unknown>[] = [];
    const sink = liveView({ callId: 'c1', route: 'v2', platform: 'browser', live: { sendEvent: (e) => sent.push(e) } })!;
    sink.emit({ type: 'call.started', platform: 'browser', route: 'v2', rateHz: 16000 });
    // An event type this file does not know (the vocabulary grows) reaches the page unchanged.
    sink.emit({ type: 'slots', slots: { FlowerType: 'roses' } } as unknown as CallEvent);
    sink.emit({ type: 'dtmf', digits: '1' });
    expect(sent).toEqual([
      { type: 'call.started', platform: 'browser', route: 'v2', rateHz: 16000, callId: 'c1', seq: 1 },
      { type: 'slots', slots: { FlowerType: 'roses' }, callId: 'c1', seq: 2 },
      { type: 'dtmf', digits: '1', callId: 'c1', seq: 3 },
    ]);
  });
});
