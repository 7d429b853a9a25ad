import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/webhook-sink.js';
import { createFakeTwilio, type FakeTwilio } from '../../src/fakes/twilio/fake-twilio.js';
import { createFakeVonage, type FakeVonage } from '../../src/fakes/vonage/fake-vonage.js';
import type { HeardReply } from '../../src/phones/reply-collector.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { type EventsReceiver, startEventsReceiver } from '../helpers/events-receiver.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack, until } from '../helpers/stack.js';

const SECRET = 'events-secret-for-the-tests-0001';
const ACCOUNT = `AC${'a'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-for-tests';
const APP_ID = randomUUID();
const WORKFLOW = `WW${'b'.repeat(32)}`;
// Platform credentials are accepted only behind authentication (handoff-config.ts): the calls present the token.
const CONN = 'handoff-connector-token-0001';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

let stack: Stack;
let receiver: EventsReceiver;
let twilio: FakeTwilio;
let vonage: FakeVonage;
beforeAll(async () => {
  receiver = await startEventsReceiver(SECRET);
  twilio = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: TOKEN }] });
  vonage = await createFakeVonage({ applicationId: APP_ID, publicKey: keys.publicKey });
  stack = await startStack({
    env: {
      EVENTS_URL: receiver.url,
      EVENTS_SECRET: SECRET,
      CONNECTOR_AUTH_TOKEN: CONN,
      HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT,
      HANDOFF_TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_RETRY_BASE_MS: '1',
      TWILIO_RETRY_MAX_MS: '5',
      VONAGE_APPLICATION_ID: APP_ID,
      VONAGE_PRIVATE_KEY: keys.privateKey,
      VONAGE_API_BASE_URL: vonage.url,
    },
  });
});
afterAll(async () => {
  await stack.close();
  await Promise.all([receiver.close(), twilio.close(), vonage.close()]);
});

type Route = keyof typeof ROUTES;
type Phone = { nextReply(): Promise<HeardReply>; sendAudio(pcm: Buffer): void; frames: unknown[]; closed: Promise<{ code: number; reason: string }> };

/** The caller orders roses, then asks for an agent: every prompt is heard to its end. */
async function orderRosesThenAgent(phone: Phone, route: Route, session: string, rateHz: number): Promise<HeardReply[]> {
  const replies: HeardReply[] = [];
  if (route === 'conversation') replies.push(await phone.nextReply()); // the welcome
  for (const [i, text] of ['I would like to order some flowers', 'roses', 'talk to an agent'].entries()) {
    stack.emu.session(session).script.push(text);
    phone.sendAudio(utterance(text, rateHz, i + 1));
    replies.push(await phone.nextReply());
  }
  return replies;
}

/** The events of the call whose hand-off names `callerId`, once its `call.ended` has arrived. */
async function eventsOfCaller(callerId: string): Promise<EventEnvelope[]> {
  let callId = '';
  await until(() => {
    const h = receiver.received.find((r) => r.envelope.type === 'handoff' && (r.envelope.data.context as { callerId?: string }).callerId === callerId);
    callId = h?.envelope.callId ?? '';
    return callId !== '' && receiver.of(callId).some((e) => e.type === 'call.ended');
  });
  expect(receiver.received.filter((r) => r.envelope.callId === callId).every((r) => r.valid)).toBe(true);
  return receiver.of(callId);
}

/** What every hand-off's events must show: in order, signed, with the transcript and the slots. */
function expectHandoffEvents(events: EventEnvelope[], method: string, closeCode: number): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  const types = events.map((e) => e.type);
  expect(types[0]).toBe('call.started');
  expect(types.filter((t) => t === 'turn').length).toBeGreaterThanOrEqual(3);
  expect(types.slice(-2)).toEqual(['handoff', 'call.ended']);
  const turns = events.filter((e) => e.type === 'turn').map((e) => e.data.turn as Record<string, unknown>);
  expect(turns.find((t) => t.transcript === 'roses')).toMatchObject({ intentName: 'OrderFlowers', slots: { FlowerType: 'roses' }, outcome: 'played', bargeIn: false });
  expect(turns.at(-1)).toMatchObject({ transcript: 'talk to an agent', intentName: 'Agent', handoff: true, outcome: 'played' });
  const handoff = events.at(-2)!.data;
  expect(handoff).toMatchObject({ method, context: { reason: 'handoff-intent:Agent', intentName: 'Agent', slots: { FlowerType: 'roses' } } });
  const transcript = (handoff.context as { transcript: { from: string; text: string }[] }).transcript;
  expect(transcript.filter((l) => l.from === 'caller').map((l) => l.text)).toEqual(['I would like to order some flowers', 'roses', 'talk to an agent']);
  expect(transcript.at(-1)).toEqual({ from: 'bot', text: 'Okay, let me get you to an agent.' });
  expect(events.at(-1)!.data).toMatchObject({ closeCode, handedOff: true });
}

describe.each(['v1', 'v2', 'conversation'] as const)('hand-off on the %s route', (route) => {
  it('Vonage with application credentials: the agent prompt plays to its end, the call is transferred (JWT-signed NCCO), then 4010', async () => {
    const session = `handoff-vonage-${route}`;
    const callUuid = randomUUID();
    const callerId = `+4477009001${route.length}1`;
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES[route](session), {
      rateHz: 16000,
      headers: demoHeaders({ token: CONN, call_uuid: callUuid, caller_id: callerId, handoff_to: '+447700900999', welcome_message: route === 'conversation' ? 'Welcome.' : undefined }),
    });
    const replies = await orderRosesThenAgent(phone, route, session, 16000);
    const closed = await phone.closed;
    expect(closed).toEqual({ code: 4010, reason: 'handed off: handoff-intent:Agent' });
    // The agent prompt was heard to its end: every frame sent belongs to a reply reported played.
    expect(phone.frames.length).toBe(replies.reduce((n, r) => n + r.frames.length, 0));
    const transfer = vonage.transfers.find((t) => t.uuid === callUuid);
    expect(transfer?.ncco).toEqual([{ action: 'connect', endpoint: [{ type: 'phone', number: '447700900999' }] }]);
    expect(vonage.requests.find((r) => r.uuid === callUuid)).toMatchObject({ status: 204, claims: { application_id: APP_ID } });
    expectHandoffEvents(await eventsOfCaller(callerId), 'vonage-transfer', 4010);
  });

  it('Twilio with account credentials: the live call is updated with <Enqueue workflowSid> carrying the context as task attributes, then 4010', async () => {
    const session = `handoff-twilio-${route}`;
    const callerId = `+1555000100${route.length}`;
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES[route](session), {
      accountSid: ACCOUNT,
      customParameters: demoHeaders({ token: CONN, caller_id: callerId, handoff_to: `workflow:${WORKFLOW}`, ...(route === 'conversation' ? { welcome_message: 'Welcome.' } : {}) }) as Record<
        string,
        string
      >,
    });
    const replies = await orderRosesThenAgent(phone, route, session, 8000);
    const closed = await phone.closed;
    expect(closed.code).toBe(4010);
    expect(phone.frames.length).toBe(replies.reduce((n, r) => n + r.frames.length, 0));
    const update = twilio.store.callUpdates.find((u) => u.callSid === phone.callSid)!;
    expect(update.accountSid).toBe(ACCOUNT);
    const m = /^<Response><Enqueue workflowSid="(WW[0-9a-f]{32})"><Task>(.*)<\/Task><\/Enqueue><\/Response>$/.exec(update.twiml!)!;
    expect(m[1]).toBe(WORKFLOW);
    const task = JSON.parse(
      m[2]
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    );
    expect(task).toMatchObject({ type: 'inbound', name: callerId, call_sid: phone.callSid, lex: { reason: 'handoff-intent:Agent', intent: 'Agent', slots: { FlowerType: 'roses' } } });
    expect(task.lex.transcript.map((l: { text: string }) => l.text)).toContain('talk to an agent');
    expectHandoffEvents(await eventsOfCaller(callerId), 'twilio-update', 4010);
  });
});

describe('hand-off without platform credentials, by the session attribute, and when the platform fails', () => {
  it('Vonage without call_uuid: closes with 4010 so the NCCO continues; the HelpDesk bot hands off by its handoff attribute', async () => {
    const session = 'handoff-attr-v2';
    const path = ROUTES.v2(session).replace('ORDERFLWRS', 'HELPDESKBT');
    const phone = await VonagePhone.connect(stack.wsUrl + path, { rateHz: 8000, headers: demoHeaders({ token: CONN, caller_id: '+447700900555' }) });
    stack.emu.session(session).script.push('I have a problem with my router');
    phone.sendAudio(utterance('I have a problem with my router', 8000));
    const reply = await phone.nextReply();
    expect(await phone.closed).toEqual({ code: 4010, reason: 'handed off: handoff-attribute:handoff' });
    expect(phone.frames.length).toBe(reply.frames.length);
    const events = await eventsOfCaller('+447700900555');
    expect(events.at(-2)).toMatchObject({ type: 'handoff', data: { method: 'close', context: { reason: 'handoff-attribute:handoff', intentName: 'ReportProblem', slots: { Product: 'router' } } } });
  });

  it('Twilio call update failing after its retries: handoff.failed, then the 4010 fallback close (the TwiML after <Connect> runs)', async () => {
    twilio.fail({ failure: { type: 'status', status: 503 }, op: 'call.update', times: -1 });
    try {
      const session = 'handoff-twilio-fail';
      const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v1(session), {
        accountSid: ACCOUNT,
        customParameters: demoHeaders({ token: CONN, caller_id: '+15550009999', handoff_to: '+15550001111' }) as Record<string, string>,
      });
      stack.emu.session(session).script.push('talk to an agent');
      phone.sendAudio(utterance('talk to an agent', 8000));
      await phone.nextReply();
      expect((await phone.closed).code).toBe(4010);
      const events = await eventsOfCaller('+15550009999');
      expect(events.slice(-3).map((e) => e.type)).toEqual(['handoff', 'handoff.failed', 'call.ended']);
      expect(events.at(-2)!.data).toMatchObject({ method: 'twilio-update', code: 'HANDOFF_FAILED', status: 503, fallback: 'close' });
      expect(twilio.requests.filter((r) => r.op === 'call.update' && r.path.includes(phone.callSid))).toHaveLength(4); // TWILIO_MAX_ATTEMPTS
    } finally {
      twilio.failures.length = 0;
    }
  });
});
