import { describe, expect, it } from 'vitest';
import { endsCall } from '../../src/session/end-call.js';

describe('the end-call rule (every route)', () => {
  it.each([
    [{ dialogClosed: true }, true, true],
    [{ dialogClosed: true }, false, false],
    [{ dialogClosed: false }, true, false],
    [{ dialogClosed: false, sessionAttributes: { 'nexmo-close': 'true' } }, false, true],
    [{ dialogClosed: false, sessionAttributes: { 'nexmo-close': 'yes' } }, false, true],
    [{ dialogClosed: false, sessionAttributes: { 'nexmo-close': 'false' } }, false, false],
    [{ dialogClosed: false, sessionAttributes: { 'nexmo-close': '0' } }, true, false],
    [{ dialogClosed: false, sessionAttributes: { 'nexmo-close': '' } }, true, false],
  ])('%j with hangup_on_close %s ends the call: %s', (outcome, hangupOnClose, ends) => {
    expect(endsCall(outcome, hangupOnClose)).toBe(ends);
  });
});
