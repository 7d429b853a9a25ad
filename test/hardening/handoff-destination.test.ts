import { describe, expect, it } from 'vitest';
import { parseDestination } from '../../src/call/handoff.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, startStack } from '../helpers/stack.js';

// A SIP URI is ASCII (RFC 3261: other characters are %-escaped). A control character in
// `handoff_to` made TwiML that is not XML (Twilio: 12100, the hand-off fails at its very end,
// after the caller waited through the retries); it must be refused when the call starts.
describe('handoff_to: a sip: URI is printable ASCII', () => {
  it.each(['sip:a\u0001b@pbx.example.com', 'sip:agent\u0000@pbx.example.com', 'sip:\u00fcber@pbx.example.com', 'sip:a@pbx.example.com\u007f', 'sip:a b@pbx.example.com'])('%j is refused', (raw) => {
    expect(parseDestination(raw)).toBeUndefined();
  });

  it.each(['sip:agents@pbx.example.com', 'sips:agent%20one@pbx.example.com:5061;transport=tls', 'sip:+15550001111@trunk.example.com?X-Queue=gold'])('%s is accepted', (raw) => {
    expect(parseDestination(raw)).toEqual({ kind: 'sip', uri: raw });
  });

  it('a call naming such a destination is closed with 4002 when it starts', async () => {
    const stack = await startStack();
    try {
      const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('bad-sip'), { rateHz: 16000, headers: demoHeaders({ handoff_to: 'sip:agent\u0007@pbx.example.com' }) });
      expect(await phone.closed).toEqual({ code: 4002, reason: 'invalid configuration: handoff_to must be a phone number, a sip: URI, queue:<name> or workflow:WW…' });
    } finally {
      await stack.close();
    }
  });
});
