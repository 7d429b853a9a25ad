import { describe, expect, it } from 'vitest';
import { renderMessages, resolveButtonReply, stripSsml } from '../../src/chat/lex-messages.js';
import { truncateText } from '../../src/chat/twilio-turn.js';
import { summarize } from '../../src/chat/lex-text.js';

describe('renderMessages', () => {
  it('renders PlainText, SSML (stripped), ImageResponseCard (structured buttons) and CustomPayload in bot order', () => {
    const out = renderMessages([
      { contentType: 'PlainText', content: 'Hello.' },
      { contentType: 'SSML', content: '<speak>Roses &amp; tulips<break time="300ms"/>are <emphasis>lovely</emphasis>.</speak>' },
      {
        contentType: 'ImageResponseCard',
        imageResponseCard: {
          title: 'Pick one',
          subtitle: 'Fresh today',
          imageUrl: 'https://example.com/f.png',
          buttons: [
            { text: 'Roses', value: 'roses' },
            { text: 'Tulips', value: 'tulips' },
          ],
        },
      },
      { contentType: 'CustomPayload', content: '{"kind":"carousel"}' },
      { contentType: 'PlainText', content: '' },
    ]);
    expect(out).toEqual([
      { contentType: 'PlainText', text: 'Hello.' },
      { contentType: 'SSML', text: 'Roses & tulips are lovely.', ssml: '<speak>Roses &amp; tulips<break time="300ms"/>are <emphasis>lovely</emphasis>.</speak>' },
      {
        contentType: 'ImageResponseCard',
        text: 'Pick one\nFresh today\nhttps://example.com/f.png\n1. Roses\n2. Tulips',
        card: {
          title: 'Pick one',
          subtitle: 'Fresh today',
          imageUrl: 'https://example.com/f.png',
          buttons: [
            { text: 'Roses', value: 'roses' },
            { text: 'Tulips', value: 'tulips' },
          ],
        },
      },
      { contentType: 'CustomPayload', payload: '{"kind":"carousel"}' },
    ]);
    expect(renderMessages(undefined)).toEqual([]);
  });

  it('strips SSML without leaving markup or entities', () => {
    expect(stripSsml('<speak><say-as interpret-as="digits">123</say-as> &lt;ok&gt;</speak>')).toBe('123 <ok>');
  });

  it('maps a reply of a button number or text to the button value, anything else unchanged', () => {
    const buttons = [
      { text: 'Roses', value: 'roses' },
      { text: 'Tulips', value: 'tulips' },
    ];
    expect(resolveButtonReply('2', buttons)).toBe('tulips');
    expect(resolveButtonReply(' roses ', buttons)).toBe('roses');
    expect(resolveButtonReply('3', buttons)).toBe('3');
    expect(resolveButtonReply('something else', buttons)).toBe('something else');
    expect(resolveButtonReply('1', undefined)).toBe('1');
  });

  it('truncates to 1024 characters without splitting a surrogate pair', () => {
    expect(truncateText('a'.repeat(2000))).toHaveLength(1024);
    const emoji = '🌹'.repeat(1100);
    const t = truncateText(emoji);
    expect([...t]).toHaveLength(1024);
    expect(t.endsWith('🌹')).toBe(true);
  });

  it('summarises slots as plain values (List slots as arrays)', () => {
    const s = summarize({
      sessionState: {
        intent: {
          name: 'OrderFlowers',
          state: 'InProgress',
          slots: {
            FlowerType: { value: { originalValue: 'rose', interpretedValue: 'roses', resolvedValues: ['roses'] } },
            Colors: {
              shape: 'List',
              values: [{ value: { originalValue: 'red', interpretedValue: 'red', resolvedValues: [] } }, { value: { originalValue: 'white', interpretedValue: 'white', resolvedValues: [] } }],
            },
            PickupDate: undefined as never,
          },
        },
        dialogAction: { type: 'ElicitSlot', slotToElicit: 'PickupDate' },
      },
    });
    expect(s.intent?.slots).toEqual({ FlowerType: 'roses', Colors: ['red', 'white'], PickupDate: null });
    expect(s.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'PickupDate' });
  });
});
