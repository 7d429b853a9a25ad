import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffContext } from '../../src/call/call-events.js';
import { createFakeTwilio, type FakeTwilio } from '../../src/fakes/twilio/fake-twilio.js';
import { handoffTwiml } from '../../src/handoff/handoff-payloads.js';
import { TwilioPhone } from '../../src/phones/twilio-phone.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack } from '../helpers/stack.js';

// Twilio refuses a call update whose `Twiml` is over 4,000 characters (error 32018, "Twiml size
// exceeded maximum allowed value of 4000 characters"). The Flex hand-off carries the context as
// task attributes inside the TwiML, so an ordinary conversation must still fit, or the caller
// loses the context and gets the fallback close instead of the agent queue.
const ACCOUNT = `AC${'d'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-for-twiml-size';
const WORKFLOW = `WW${'e'.repeat(32)}`;

/** The JSON inside `<Task>`, XML entities decoded. */
function taskOf(twiml: string): Record<string, any> {
  const m = /^<Response><Enqueue workflowSid="(WW[0-9a-f]{32})"><Task>(.*)<\/Task><\/Enqueue><\/Response>$/s.exec(twiml);
  expect(m).not.toBeNull();
  const text = m![2]
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return JSON.parse(text);
}

describe('the TwiML of a Twilio hand-off fits Twilio’s 4,000 characters', () => {
  it('a 50-line conversation with quotes and session attributes: at most 4,000 characters, newest lines and the rule kept', () => {
    const context: HandoffContext = {
      reason: 'handoff-intent:Agent',
      intentName: 'Agent',
      slots: { FlowerType: 'roses', PickupDate: '2026-11-23', PickupTime: null },
      sessionAttributes: { callerId: '+15550001234', note: `"quoted" & <tagged> ${'n'.repeat(3000)}` },
      transcript: Array.from({ length: 50 }, (_, i) => ({ from: i % 2 ? ('bot' as const) : ('caller' as const), text: `line ${i}: "I'd like" <roses> & tulips ${'w'.repeat(60)}` })),
      callerId: '+15550001234',
      platformCallId: `CA${'1'.repeat(32)}`,
    };
    const twiml = handoffTwiml({ kind: 'workflow', sid: WORKFLOW }, context);
    expect(twiml.length).toBeLessThanOrEqual(4000);
    const task = taskOf(twiml);
    expect(task).toMatchObject({ type: 'inbound', name: '+15550001234', call_sid: context.platformCallId, lex: { reason: 'handoff-intent:Agent', intent: 'Agent' } });
    const lines = task.lex.transcript as { text: string }[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)!.text).toMatch(/^line 49: /);
  });

  it('session attributes alone over the limit: they give way, the rule, the intent and the caller stay', () => {
    const context: HandoffContext = {
      reason: 'handoff-attribute:handoff',
      intentName: 'ReportProblem',
      slots: { Product: 'router' },
      sessionAttributes: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`attr${i}`, 'v'.repeat(1000)])),
      transcript: [{ from: 'caller', text: 'my router is broken' }],
      callerId: '+15550001234',
      platformCallId: `CA${'2'.repeat(32)}`,
    };
    const twiml = handoffTwiml({ kind: 'workflow', sid: WORKFLOW }, context);
    expect(twiml.length).toBeLessThanOrEqual(4000);
    expect(taskOf(twiml)).toMatchObject({ name: '+15550001234', lex: { reason: 'handoff-attribute:handoff', intent: 'ReportProblem', slots: { Product: 'router' } } });
  });
});

describe('a Twilio hand-off with a large context, through the fake Calls API (which enforces 32018)', () => {
  let stack: Stack;
  let twilio: FakeTwilio;
  beforeAll(async () => {
    twilio = await createFakeTwilio({ accounts: [{ accountSid: ACCOUNT, authToken: TOKEN }] });
    stack = await startStack({
      env: {
        CONNECTOR_AUTH_TOKEN: 'twiml-size-token',
        HANDOFF_TWILIO_ACCOUNT_SID: ACCOUNT,
        HANDOFF_TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_API_BASE_URL: twilio.url,
        TWILIO_RETRY_BASE_MS: '1',
        TWILIO_RETRY_MAX_MS: '5',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    await twilio.close();
  });

  it('the fake refuses TwiML over 4,000 characters with 32018, as Twilio does', async () => {
    const twiml = `<Response><Say>${'a'.repeat(4000)}</Say></Response>`;
    const res = await fetch(`${twilio.url}/api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Calls/CA${'3'.repeat(32)}.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Twiml: twiml }).toString(),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: number }).code).toBe(32018);
  });

  it('the caller with 6 KB of session attributes asks for an agent: the call is updated (not the fallback close)', async () => {
    const attrs = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`lex_attr_note${i}`, `"${'q'.repeat(1000)}"`]));
    const phone = await TwilioPhone.connect(stack.wsUrl + ROUTES.v2('twiml-size'), {
      accountSid: ACCOUNT,
      customParameters: demoHeaders({ token: 'twiml-size-token', caller_id: '+15550004444', handoff_to: `workflow:${WORKFLOW}`, ...attrs }) as Record<string, string>,
    });
    stack.emu.session('twiml-size').script.push('talk to an agent');
    phone.sendAudio(utterance('talk to an agent', 8000));
    await phone.nextReply();
    expect((await phone.closed).code).toBe(4010);
    const updates = twilio.requests.filter((r) => r.op === 'call.update' && r.path.includes(phone.callSid));
    expect(updates.map((r) => r.status)).toEqual([200]);
    const update = twilio.store.callUpdates.find((u) => u.callSid === phone.callSid)!;
    expect(taskOf(update.twiml!)).toMatchObject({ name: '+15550004444', lex: { reason: 'handoff-intent:Agent', intent: 'Agent' } });
    const handoffs = await stack.connector.metrics.handoffs.get();
    expect(handoffs.values.find((v) => v.labels.result === 'failed')).toBeUndefined();
  });
});
