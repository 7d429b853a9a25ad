import { describe, expect, it } from 'vitest';
import { v1Interpretations, v1Slots, v2Interpretations, v2Slots } from '../../src/bots/lex-results.js';
import type { HandoffContext } from '../../src/call/call-events.js';
import { eventsUrlAllowed, loadEventsConfig } from '../../src/call/events-config.js';
import { destinationText, parseDestination } from '../../src/call/handoff.js';
import { loadHandoffConfig } from '../../src/call/handoff-config.js';
import { handoffNcco, handoffTwiml, taskAttributes } from '../../src/handoff/handoff-payloads.js';
import { callEndOf } from '../../src/session/end-call.js';

const rules = loadHandoffConfig({}).rules;
const context: HandoffContext = {
  reason: 'handoff-intent:Agent',
  intentName: 'Agent',
  slots: { FlowerType: 'roses' },
  sessionAttributes: { callerId: '+15550001234' },
  transcript: [
    { from: 'caller', text: 'I want <roses> & "tulips"' },
    { from: 'bot', text: 'Okay, let me get you to an agent.' },
  ],
  callerId: '+15550001234',
  platformCallId: `CA${'1'.repeat(32)}`,
};

describe('the hand-off decision (end-call.ts, every route)', () => {
  it.each([
    [
      { intentName: 'Agent', intentState: 'Fulfilled', dialogState: 'Close', dialogClosed: true, sessionAttributes: { 'nexmo-close': 'true', handoff: 'agent' } },
      false,
      { kind: 'handoff', reason: 'handoff-intent:Agent' },
    ],
    [{ intentName: 'ReportProblem', dialogState: 'Close', dialogClosed: true, sessionAttributes: { handoff: 'agent' } }, false, { kind: 'handoff', reason: 'handoff-attribute:handoff' }],
    [{ intentName: 'Other', dialogClosed: false, sessionAttributes: { handoff: 'no' } }, false, undefined],
    [{ intentName: 'OrderFlowers', dialogState: 'Close', dialogClosed: true, sessionAttributes: { 'nexmo-close': 'true' } }, false, { kind: 'hangup' }],
    [{ intentName: 'OrderFlowers', dialogState: 'Close', dialogClosed: true }, true, { kind: 'hangup' }],
    [{ intentName: 'OrderFlowers', dialogState: 'ElicitSlot', dialogClosed: false }, true, undefined],
  ])('%j (hangup_on_close %s) -> %j', (outcome, hangupOnClose, end) => {
    expect(callEndOf(outcome, hangupOnClose, rules)).toEqual(end);
  });

  it('HANDOFF_INTENTS and HANDOFF_ATTRIBUTE configure it; empty and none turn it off', () => {
    const off = loadHandoffConfig({ HANDOFF_INTENTS: '', HANDOFF_ATTRIBUTE: 'none' }).rules;
    expect(callEndOf({ intentName: 'Agent', dialogClosed: false, sessionAttributes: { handoff: 'agent' } }, false, off)).toBeUndefined();
    const custom = loadHandoffConfig({ HANDOFF_INTENTS: 'Human,Complaint', HANDOFF_ATTRIBUTE: 'route=human' }).rules;
    expect(callEndOf({ intentName: 'Complaint', dialogClosed: false }, false, custom)).toEqual({ kind: 'handoff', reason: 'handoff-intent:Complaint' });
    expect(callEndOf({ intentName: 'X', dialogClosed: false, sessionAttributes: { route: 'bot' } }, false, custom)).toBeUndefined();
    expect(callEndOf({ intentName: 'X', dialogClosed: false, sessionAttributes: { route: 'human' } }, false, custom)).toEqual({ kind: 'handoff', reason: 'handoff-attribute:route' });
  });
});

describe('hand-off destinations and payloads', () => {
  it.each([
    ['+447700900001', { kind: 'phone', number: '+447700900001' }],
    ['14155550100', { kind: 'phone', number: '14155550100' }],
    ['sip:agents@pbx.example.com', { kind: 'sip', uri: 'sip:agents@pbx.example.com' }],
    ['queue:support', { kind: 'queue', name: 'support' }],
    [`workflow:WW${'a'.repeat(32)}`, { kind: 'workflow', sid: `WW${'a'.repeat(32)}` }],
    ['+0123', undefined],
    ['mailto:x@y', undefined],
    ['workflow:WW123', undefined],
  ])('%s -> %j', (raw, dest) => {
    const d = parseDestination(raw);
    expect(d).toEqual(dest);
    if (d) expect(destinationText(d)).toBe(raw);
  });

  it('TwiML: <Dial> a number or SIP URI (context as X- headers), <Enqueue> a queue or a workflow with task attributes; everything XML-escaped', () => {
    expect(handoffTwiml({ kind: 'phone', number: '+447700900001' }, context)).toBe('<Response><Dial><Number>+447700900001</Number></Dial></Response>');
    expect(handoffTwiml({ kind: 'sip', uri: 'sip:agents@pbx.example.com' }, context)).toBe(
      '<Response><Dial><Sip>sip:agents@pbx.example.com?X-Lex-Reason=handoff-intent%3AAgent&amp;X-Lex-Intent=Agent</Sip></Dial></Response>',
    );
    expect(handoffTwiml({ kind: 'queue', name: 'support' }, context)).toBe('<Response><Enqueue>support</Enqueue></Response>');
    const twiml = handoffTwiml({ kind: 'workflow', sid: `WW${'a'.repeat(32)}` }, context);
    expect(twiml).not.toMatch(/<roses>|& "/);
    const task = /<Task>(.*)<\/Task>/
      .exec(twiml)![1]
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(JSON.parse(task)).toEqual(taskAttributes(context));
    expect(taskAttributes(context)).toMatchObject({
      type: 'inbound',
      name: '+15550001234',
      call_sid: context.platformCallId,
      lex: { reason: 'handoff-intent:Agent', intent: 'Agent', slots: { FlowerType: 'roses' } },
    });
  });

  it('task attributes stay under 4 KB: the oldest transcript lines go first', () => {
    const long = { ...context, transcript: Array.from({ length: 50 }, (_, i) => ({ from: 'caller' as const, text: `line ${i} ${'x'.repeat(100)}` })) };
    const attrs = taskAttributes(long) as { lex: { transcript: { text: string }[] } };
    expect(JSON.stringify(attrs).length).toBeLessThanOrEqual(4096);
    expect(attrs.lex.transcript.at(-1)!.text).toMatch(/^line 49 /);
    expect(attrs.lex.transcript.length).toBeLessThan(50);
  });

  it('NCCO: connect to a phone (digits only) or a SIP URI with the context as headers; none for Twilio-only destinations', () => {
    expect(handoffNcco({ kind: 'phone', number: '+447700900001' }, context)).toEqual([{ action: 'connect', endpoint: [{ type: 'phone', number: '447700900001' }] }]);
    expect(handoffNcco({ kind: 'sip', uri: 'sip:a@b.example' }, context)).toEqual([
      { action: 'connect', endpoint: [{ type: 'sip', uri: 'sip:a@b.example', headers: { 'X-Lex-Reason': 'handoff-intent:Agent', 'X-Lex-Intent': 'Agent' } }] },
    ]);
    expect(handoffNcco({ kind: 'queue', name: 'support' }, context)).toBeUndefined();
  });
});

describe('server settings', () => {
  it('EVENTS_URL_ALLOWLIST: scheme, host (or subdomain with *.) and port must match; no user info', () => {
    const list = loadEventsConfig({ EVENTS_SECRET: 'x'.repeat(16), EVENTS_URL_ALLOWLIST: 'https://hooks.example.com, https://*.tenants.example.com, http://127.0.0.1:8080' }).allowlist;
    expect(eventsUrlAllowed('https://hooks.example.com/lex?t=1', list)).toBe(true);
    expect(eventsUrlAllowed('https://a.tenants.example.com/x', list)).toBe(true);
    expect(eventsUrlAllowed('http://127.0.0.1:8080/e', list)).toBe(true);
    for (const bad of [
      'http://hooks.example.com/x',
      'https://hooks.example.com:8443/x',
      'https://tenants.example.com/x',
      'https://evil-hooks.example.com/',
      'http://127.0.0.1/e',
      'https://u:p@hooks.example.com/',
      'ftp://hooks.example.com/',
      'nonsense',
    ]) {
      expect(eventsUrlAllowed(bad, list)).toBe(false);
    }
    expect(eventsUrlAllowed('https://hooks.example.com/', [])).toBe(false);
  });

  it.each([
    [{ EVENTS_URL: 'https://h.example.com/e' }, 'EVENTS_SECRET is required'],
    [{ EVENTS_URL: 'https://h.example.com/e', EVENTS_SECRET: 'short' }, 'EVENTS_SECRET must be at least 16 characters'],
    [{ EVENTS_URL: 'https://user:pw@h.example.com/e', EVENTS_SECRET: 'x'.repeat(16) }, 'EVENTS_URL must be an http(s) URL without user info'],
    [{ EVENTS_URL_ALLOWLIST: 'https://h.example.com/path', EVENTS_SECRET: 'x'.repeat(16) }, 'EVENTS_URL_ALLOWLIST entries must be origins'],
  ])('events config %j is refused: %s', (env, message) => {
    expect(() => loadEventsConfig(env)).toThrow(message);
  });

  it.each([
    [{ HANDOFF_TO: 'nowhere' }, 'HANDOFF_TO must be'],
    [{ HANDOFF_INTENTS: 'Agent,bad name' }, 'HANDOFF_INTENTS must be a comma-separated list'],
    [{ VONAGE_APPLICATION_ID: 'not-a-uuid', VONAGE_PRIVATE_KEY: 'x' }, 'VONAGE_APPLICATION_ID must be the application UUID'],
    [{ VONAGE_APPLICATION_ID: '0f5c1e2a-8c1b-4b7e-9d36-2b9f0c7e4a11', VONAGE_PRIVATE_KEY: 'not a key' }, 'VONAGE_PRIVATE_KEY must be the application private key in PEM form'],
    [{ HANDOFF_TWILIO_ACCOUNT_SID: 'AC123' }, 'HANDOFF_TWILIO_ACCOUNT_SID must be AC'],
    [{ HANDOFF_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` }, 'HANDOFF_TWILIO_AUTH_TOKEN is required'],
  ])('hand-off config %j is refused: %s', (env, message) => {
    expect(() => loadHandoffConfig(env)).toThrow(message);
  });

  it('Twilio voice credentials fall back to TWILIO_AUTH_TOKEN, or take an API key; secrets print as [redacted]', () => {
    const c = loadHandoffConfig({ HANDOFF_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'tok' });
    expect(c.twilio).toMatchObject({ accountSid: `AC${'a'.repeat(32)}`, username: `AC${'a'.repeat(32)}` });
    expect(c.twilio!.password.reveal()).toBe('tok');
    expect(JSON.stringify(c)).not.toContain('tok');
    const k = loadHandoffConfig({
      HANDOFF_TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      HANDOFF_TWILIO_API_KEY_SID: `SK${'b'.repeat(32)}`,
      HANDOFF_TWILIO_API_KEY_SECRET: 'ks',
      CONNECTOR_AUTH_TOKEN: 'c',
    });
    expect(k.twilio!.username).toBe(`SK${'b'.repeat(32)}`);
  });
});

describe('Lex results for events and hand-off context', () => {
  it('V2: slots (scalar and list) and interpretations with their confidence', () => {
    expect(v2Slots({ A: { value: { interpretedValue: 'roses' } }, B: null, C: { values: [{ value: { interpretedValue: 'x' } }, { value: { interpretedValue: 'y' } }] } })).toEqual({
      A: 'roses',
      B: null,
      C: 'x, y',
    });
    expect(v2Interpretations([{ intent: { name: 'Agent' }, nluConfidence: { score: 0.91 } }, { intent: { name: 'FallbackIntent' } }, 'junk'])).toEqual([
      { intentName: 'Agent', confidence: 0.91 },
      { intentName: 'FallbackIntent' },
    ]);
  });

  it('V1: JSON-string slots, confidence and alternative intents (boxed strings as the SDK returns them)', () => {
    expect(v1Slots(Object.assign(new String('{"FlowerType":"roses","PickupDate":null}'), { deserializeJSON: () => undefined }))).toEqual({ FlowerType: 'roses', PickupDate: null });
    expect(v1Interpretations('OrderFlowers', '{"score":0.8}', '[{"intentName":"Agent","nluIntentConfidence":{"score":0.1}}]')).toEqual([
      { intentName: 'OrderFlowers', confidence: 0.8 },
      { intentName: 'Agent', confidence: 0.1 },
    ]);
    expect(v1Slots('not json')).toBeUndefined();
  });
});
