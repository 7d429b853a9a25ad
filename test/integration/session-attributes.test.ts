import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack, until } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const CALL_UUID = '0f5c1e2a-8c1b-4b7e-9d36-2b9f0c7e4a11';

describe.each(['v1', 'v2'] as const)('session attributes in, on the %s route', (route) => {
  it('go with every request, so a Lex session that expired between turns still has them (regression: only the first request carried them)', async () => {
    const session = `attrs-${route}`;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), {
      rateHz: 16000,
      headers: demoHeaders({ caller_id: '+447700900123', call_uuid: CALL_UUID, lex_attr_tenant: 'flowers-eu', lex_session_attributes: { channel: 'phone' } }),
    });
    const expected = { callerId: '+447700900123', callId: CALL_UUID, tenant: 'flowers-eu', channel: 'phone' };
    const s = stack.emu.session(session);
    s.script.push('I would like to order some flowers');
    phone.sendAudio(utterance('I would like to order some flowers', 16000, 1));
    await phone.nextReply();
    expect(s.dialog.sessionAttributes).toEqual(expected);
    // Lex forgets the session (idle timeout, DeleteSession): the next request must bring the attributes again.
    stack.emu.core.sessions.endLexSession(s);
    expect(s.dialog.sessionAttributes).toEqual({});
    s.script.push('I want tulips');
    phone.sendAudio(utterance('I want tulips', 16000, 2));
    await phone.nextReply();
    expect(s.dialog.sessionAttributes).toEqual(expected);
    phone.hangUp();
  });
});

describe('session attributes in, on every platform and route', () => {
  it('Twilio: the CallSid from start is callId; TwiML parameters lex_attr_* become attributes', async () => {
    const session = 'attrs-twilio';
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2(session), { customParameters: demoHeaders({ caller_id: '+15550001234', lex_attr_plan: 'gold' }) as Record<string, string> });
    const s = stack.emu.session(session);
    s.script.push('I would like to order some flowers');
    phone.sendAudio(utterance('I would like to order some flowers', 8000));
    await phone.nextReply();
    expect(s.dialog.sessionAttributes).toEqual({ callerId: '+15550001234', callId: phone.callSid, plan: 'gold' });
    phone.hangUp();
  });

  it('/conversation: the ConfigurationEvent carries them, and Lex’s own input timeouts as x-amz-lex:audio session attributes', async () => {
    const session = 'attrs-conversation';
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.conversation(session), {
      rateHz: 8000,
      headers: demoHeaders({
        caller_id: 'sip:alice@example.com',
        conversation_uuid: `CON-${CALL_UUID}`,
        lex_attr_tenant: 't1',
        lex_start_timeout_ms: 4000,
        lex_end_timeout_ms: 800,
        lex_max_length_ms: 12000,
        welcome_message: 'Hi',
      }),
    });
    await until(() => stack.emu.session(session).events.some((e) => e.type === 'ConfigurationEvent'));
    const cfg = stack.emu.session(session).events.find((e) => e.type === 'ConfigurationEvent')!.detail!.body as { sessionState: { sessionAttributes: Record<string, string> } };
    expect(cfg.sessionState.sessionAttributes).toEqual({
      callerId: 'sip:alice@example.com',
      conversationUuid: `CON-${CALL_UUID}`,
      tenant: 't1',
      'x-amz-lex:audio:start-timeout-ms:*:*': '4000',
      'x-amz-lex:audio:end-timeout-ms:*:*': '800',
      'x-amz-lex:audio:max-length-ms:*:*': '12000',
    });
    phone.hangUp();
  });

  it.each([
    [{ caller_id: 'bad id with spaces' }, 'caller_id has an invalid format'],
    [{ call_uuid: 'not-a-uuid' }, 'call_uuid must be a UUID'],
    [{ lex_attr_: 'x' }, 'lex_attr_ has an invalid attribute name'],
    [{ lex_attr_big: 'x'.repeat(1025) }, 'lex_attr_big must be at most 1024 characters'],
    [{ handoff_to: 'mailto:someone' }, 'handoff_to must be a phone number, a sip: URI, queue:<name> or workflow:WW…'],
    [{ no_input_ms: 500 }, 'no_input_ms must be 0 (off) or from 1000 to 120000'],
    [{ no_input_action: 'transfer' }, 'no_input_action must be hangup or handoff'],
  ])('%j is refused with 4002 naming the field', async (bad, reason) => {
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2('attrs-bad'), { rateHz: 8000, headers: demoHeaders(bad) });
    expect(await phone.closed).toEqual({ code: 4002, reason: `invalid configuration: ${reason}` });
  });
});
