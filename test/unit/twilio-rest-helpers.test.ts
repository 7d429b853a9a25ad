import { describe, expect, it } from 'vitest';
import { operationOf, retryAfterMs } from '../../src/chat/twilio-http-client.js';
import { twilioSignature, validTwilioSignature } from '../../src/transports/twilio/signature.js';

describe('Twilio signature vectors (protocols-chat-handoff.md §1.7, computed by the twilio library)', () => {
  it('form POST vector', () => {
    const url = 'https://bridge.example.com/twilio/conversations?tenant=t1';
    const params = {
      AccountSid: 'AC' + '0'.repeat(32),
      Author: '+15551234567',
      Body: 'hi',
      ConversationSid: 'CH' + '1'.repeat(32),
      EventType: 'onMessageAdded',
      Index: '0',
      MessageSid: 'IM' + '4'.repeat(32),
      Source: 'SMS',
    };
    expect(twilioSignature('12345', url, params)).toBe('+VHX5U0aLoCg4jHi+Iro014jyak=');
    expect(validTwilioSignature('12345', '+VHX5U0aLoCg4jHi+Iro014jyak=', [url], params)).toBe(true);
    // The same URL with the default port spelled out is the same request.
    expect(validTwilioSignature('12345', '+VHX5U0aLoCg4jHi+Iro014jyak=', ['https://bridge.example.com:443/twilio/conversations?tenant=t1'], params)).toBe(true);
    expect(validTwilioSignature('12345', '+VHX5U0aLoCg4jHi+Iro014jyak=', [url], { ...params, Body: 'hi!' })).toBe(false);
    expect(validTwilioSignature('12345', undefined, [url], params)).toBe(false);
    expect(validTwilioSignature('12345', '+VHX5U0aLoCg4jHi+Iro014jyak=', ['not a url'], params)).toBe(false);
  });

  it('JSON-body vector (URL only)', () => {
    const url = 'https://bridge.example.com/hook?bodySHA256=015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862';
    expect(twilioSignature('12345', url)).toBe('86fdVKcdq5XPvIuv3q7XGXcK9L8=');
  });
});

describe('Twilio REST helpers', () => {
  it('names operations from method and URL', () => {
    const c = 'https://conversations.twilio.com/v1/Conversations/CH1';
    expect(operationOf('post', `${c}/Messages`)).toBe('message.create');
    expect(operationOf('post', c)).toBe('conversation.update');
    expect(operationOf('get', `${c}/Webhooks`)).toBe('webhook.list');
    expect(operationOf('delete', `${c}/Webhooks/WH1`)).toBe('webhook.remove');
    expect(operationOf('post', 'https://flex-api.twilio.com/v1/Interactions')).toBe('interaction.create');
    expect(operationOf('post', 'https://conversations.twilio.com/v1/Services/IS1/Conversations/CH1/Messages')).toBe('message.create');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
