import { describe, expect, it } from 'vitest';
import { CONSTRAINTS, validationMessage } from '../../src/emulator/validation.js';

describe('emulator validation messages (AWS wording)', () => {
  it('is silent when every constraint holds', () => {
    expect(validationMessage([{ name: 'sessionId', value: 'call-1', ...CONSTRAINTS.sessionId }])).toBeUndefined();
  });

  it('names the value, the member and the constraint', () => {
    expect(validationMessage([{ name: 'sessionId', value: 'bad@id', ...CONSTRAINTS.sessionId }])).toBe(
      "1 validation error detected: Value 'bad@id' at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+",
    );
  });

  it('leaves out the value of a sensitive member, counts several errors and reports a missing one as null', () => {
    const message = validationMessage([
      { name: 'botId', value: 'ORDER-FLOWERS', ...CONSTRAINTS.botId },
      { name: 'text', value: 'x'.repeat(1025), required: true, ...CONSTRAINTS.text },
      { name: 'sessionState', value: undefined, required: true },
    ]);
    expect(message).toBe(
      '4 validation errors detected: ' +
        "Value 'ORDER-FLOWERS' at 'botId' failed to satisfy constraint: Member must have length less than or equal to 10; " +
        "Value 'ORDER-FLOWERS' at 'botId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z]+$; " +
        "Value at 'text' failed to satisfy constraint: Member must have length less than or equal to 1024; " +
        "Value null at 'sessionState' failed to satisfy constraint: Member must not be null",
    );
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validationMessage([{ name: 'text', value: '🌹'.repeat(1024), ...CONSTRAINTS.text }])).toBeUndefined();
  });
});
