import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeTwilio, type FakeTwilio } from '../../src/fakes/twilio/fake-twilio.js';
import { createFakeVonage, type FakeVonage } from '../../src/fakes/vonage/fake-vonage.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { type EventsReceiver, startEventsReceiver } from '../helpers/events-receiver.js';
import { ROUTES } from '../helpers/routes.js';
import { type Stack, startStack, until } from '../helpers/stack.js';

const KEY = 'AKIAHANDOFFSECRETS01';
const AWS_SECRET = 'hand0ff/AwsSecretThatMustNeverLeak+0123';
const AWS_TOKEN = 'IQoJb3JpZ2luX2VjHANDOFFSESSIONTOKENmustNotLeak';
const EVENTS_SECRET = 'events-hmac-secret-must-not-leak-01';
const ACCOUNT = `AC${'c'.repeat(32)}`;
const TWILIO_TOKEN = 'twilio-token-that-must-not-leak-0001';
const CONN_TOKEN = 'connector-token-that-must-not-leak-01';
const APP_ID = randomUUID();
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
/** A line from the middle of the private key: any part of it in a log is a leak. */
const KEY_LINE = keys.privateKey.split('\n')[5];

let stack: Stack;
let receiver: EventsReceiver;
let twilio: FakeTwilio;
let vonage: FakeVonage;
beforeAll(async () => {
  receiver = await startEventsReceiver(EVENTS_SECRET);
  twilio = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: TWILIO_TOKEN }] });
  vonage = await createFakeVonage({ applicationId: APP_ID, publicKey: keys.publicKey });
  stack = await startStack({
    env: {
      LOG_LEVEL: 'trace',
      CONNECTOR_AUTH_TOKEN: CONN_TOKEN,
      EVENTS_URL: receiver.url,
      EVENTS_SECRET,
      HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT,
      HANDOFF_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_MAX_ATTEMPTS: '1',
      VONAGE_APPLICATION_ID: APP_ID,
      VONAGE_PRIVATE_KEY: keys.privateKey.replace(/\n/g, '\\n'),
      VONAGE_API_BASE_URL: vonage.url,
      VONAGE_MAX_ATTEMPTS: '1',
    },
    emulator: { keys: [{ accessKeyId: KEY, secretAccessKey: AWS_SECRET, sessionToken: AWS_TOKEN }], conversation: { heartbeatMs: 0 } },
  });
});
afterAll(async () => {
  await stack.close();
  await Promise.all([receiver.close(), twilio.close(), vonage.close()]);
});

const creds = { aws_key: KEY, aws_secret: AWS_SECRET, aws_session_token: AWS_TOKEN, token: CONN_TOKEN };

describe('secrets never leak through hand-offs and events', () => {
  it('transfers, call updates, failed platform requests and their events at trace level carry no secret, token, key or JWT', async () => {
    // A Vonage transfer that works, and one the platform refuses.
    for (const [session, fail] of [
      ['secrets-vonage-ok', false],
      ['secrets-vonage-fail', true],
    ] as const) {
      if (fail) vonage.fail({ type: 'status', status: 500 });
      const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 16000, headers: { ...creds, call_uuid: randomUUID(), handoff_to: 'sip:agents@pbx.example.com' } });
      stack.emu.session(session).script.push('talk to an agent');
      phone.sendAudio(utterance('talk to an agent', 16000));
      await phone.nextReply();
      expect((await phone.closed).code).toBe(4010);
    }
    // A Twilio call update on /conversation, and one the platform refuses.
    for (const [session, fail] of [
      ['secrets-twilio-ok', false],
      ['secrets-twilio-fail', true],
    ] as const) {
      if (fail) twilio.fail({ failure: { type: 'status', status: 400, code: 21220 }, op: 'call.update' });
      const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.conversation(session), { accountSid: ACCOUNT, customParameters: { ...creds, handoff_to: 'queue:support', welcome_message: 'Hi' } });
      await phone.nextReply();
      stack.emu.session(session).script.push('talk to an agent');
      phone.sendAudio(utterance('talk to an agent', 8000));
      await phone.nextReply();
      expect((await phone.closed).code).toBe(4010);
    }
    await until(() => receiver.received.filter((r) => r.envelope.type === 'call.ended').length === 4);
    expect(vonage.transfers).toHaveLength(1);
    expect(twilio.store.callUpdates).toHaveLength(1);
    expect(receiver.received.filter((r) => r.envelope.type === 'handoff.failed')).toHaveLength(2);

    const logs = stack.logs.join('');
    expect(logs).toContain('hand-off request failed');
    const events = receiver.received.map((r) => r.body).join('\n');
    const metrics = await (await fetch(stack.httpUrl + '/metrics')).text();
    const fakes = JSON.stringify({ twilio: twilio.requests, vonage: vonage.requests });
    for (const secret of [AWS_SECRET, AWS_TOKEN, EVENTS_SECRET, TWILIO_TOKEN, CONN_TOKEN, KEY_LINE, 'PRIVATE KEY']) {
      expect(logs).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(metrics).not.toContain(secret);
      expect(fakes).not.toContain(secret);
    }
    // No bearer token (the Vonage JWT) and no Basic credentials anywhere in the logs.
    expect(logs).not.toMatch(/Bearer |Basic |eyJhbGciOi/);
    expect(events).not.toMatch(/Bearer |eyJhbGciOi/);
  });
});
