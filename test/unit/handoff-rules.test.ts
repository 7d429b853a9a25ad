import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF_RULES, decideOutcome, parseAttributeRule, type HandoffRules } from '../../src/call/handoff-rules.js';

const r = (intent?: string, state?: string, action?: string, attrs?: Record<string, string>) => ({
  sessionState: { dialogAction: action ? { type: action } : undefined, intent: intent ? { name: intent, state } : undefined, sessionAttributes: attrs },
});

describe('decideOutcome (defaults of the seed)', () => {
  it.each([
    ['Agent intent hands off', r('Agent', 'Fulfilled', 'Close'), { handoff: true, close: false, reason: 'handoff-intent:Agent' }],
    ['Agent intent hands off in any state', r('Agent', 'InProgress', 'ElicitSlot'), { handoff: true, close: false, reason: 'handoff-intent:Agent' }],
    ['handoff attribute hands off', r('Other', 'Fulfilled', 'Close', { handoff: 'agent' }), { handoff: true, close: false, reason: 'handoff-attribute:handoff' }],
    ['handoff=false does not', r('Other', 'InProgress', 'ElicitSlot', { handoff: 'false' }), { handoff: false, close: false, reason: 'continue' }],
    ['OrderFlowers ReadyForFulfillment closes', r('OrderFlowers', 'ReadyForFulfillment', 'Close'), { handoff: false, close: true, reason: 'close-intent:OrderFlowers:ReadyForFulfillment' }],
    ['OrderFlowers Fulfilled closes', r('OrderFlowers', 'Fulfilled', 'Close'), { handoff: false, close: true, reason: 'close-intent:OrderFlowers:Fulfilled' }],
    ['OrderFlowers in progress continues', r('OrderFlowers', 'InProgress', 'ElicitSlot'), { handoff: false, close: false, reason: 'continue' }],
    ['OrderFlowers Failed (declined) continues', r('OrderFlowers', 'Failed', 'Close'), { handoff: false, close: false, reason: 'continue' }],
    ['other dialog Close continues by default', r('HelpIntent', 'Fulfilled', 'Close'), { handoff: false, close: false, reason: 'continue' }],
    ['empty response continues', {}, { handoff: false, close: false, reason: 'continue' }],
  ])('%s', (_n, input, expected) => {
    expect(decideOutcome(input, DEFAULT_HANDOFF_RULES)).toEqual(expected);
  });

  it('hand-off wins over close', () => {
    const rules: HandoffRules = { ...DEFAULT_HANDOFF_RULES, closeIntents: ['Agent'], closeIntentStates: ['Fulfilled'] };
    expect(decideOutcome(r('Agent', 'Fulfilled', 'Close'), rules).handoff).toBe(true);
  });
});

describe('decideOutcome (configured)', () => {
  it('closes on any dialog Close with closeOnDialogClose=always, on fulfilled ones only with =fulfilled', () => {
    const always = { ...DEFAULT_HANDOFF_RULES, closeOnDialogClose: 'always' as const };
    const fulfilled = { ...DEFAULT_HANDOFF_RULES, closeOnDialogClose: 'fulfilled' as const };
    expect(decideOutcome(r('HelpIntent', 'Failed', 'Close'), always)).toEqual({ handoff: false, close: true, reason: 'dialog-close:Failed' });
    expect(decideOutcome(r('HelpIntent', 'Failed', 'Close'), fulfilled).close).toBe(false);
    expect(decideOutcome(r('HelpIntent', 'Fulfilled', 'Close'), fulfilled)).toEqual({ handoff: false, close: true, reason: 'dialog-close:Fulfilled' });
    expect(decideOutcome(r(undefined, undefined, 'Close'), always).reason).toBe('dialog-close:none');
  });

  it('matches an attribute value exactly when one is configured, and can be disabled', () => {
    const exact = { ...DEFAULT_HANDOFF_RULES, handoffAttribute: parseAttributeRule('route=human') };
    expect(decideOutcome(r('X', 'InProgress', 'ElicitSlot', { route: 'human' }), exact).handoff).toBe(true);
    expect(decideOutcome(r('X', 'InProgress', 'ElicitSlot', { route: 'bot' }), exact).handoff).toBe(false);
    const none = { ...DEFAULT_HANDOFF_RULES, handoffIntents: [], handoffAttribute: parseAttributeRule('none') };
    expect(decideOutcome(r('Agent', 'Fulfilled', 'Close', { handoff: 'agent' }), none).handoff).toBe(false);
  });

  it('parses attribute rules and refuses malformed ones', () => {
    expect(parseAttributeRule(undefined)).toEqual({ name: 'handoff' });
    expect(parseAttributeRule('handoff=agent')).toEqual({ name: 'handoff', value: 'agent' });
    expect(parseAttributeRule('')).toBeUndefined();
    expect(() => parseAttributeRule('bad name=x')).toThrow(RangeError);
  });
});
