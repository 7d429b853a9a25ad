import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, demoHeaders, until, type Stack } from '../helpers/stack.js';
import { utterance } from '../helpers/audio.js';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { openWs, closeOf } from '../helpers/raw-ws.js';
import { ROUTES } from '../helpers/routes.js';

const v2 = ROUTES.v2;

describe('limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_CALLS: '2', LEX_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('refuses calls beyond MAX_CALLS with 503 before the upgrade, and takes them again once one ends', async () => {
    const a = await openWs(stack.wsUrl + v2('limit-a'));
    const b = await openWs(stack.wsUrl + v2('limit-b'));
    await expect(openWs(stack.wsUrl + v2('limit-c'))).rejects.toMatchObject({ status: 503 });
    const closed = closeOf(a);
    a.close();
    await closed;
    await until(() => stack.connector.activeCalls() < 2);
    const c = await openWs(stack.wsUrl + v2('limit-c'));
    b.close();
    c.close();
    const metrics = await (await fetch(stack.httpUrl + '/metrics')).text();
    expect(metrics).toMatch(/lexconn_upgrades_rejected_total\{status="503"\} 1/);
  });

  it('closes a call at MAX_CALL_MS with 4005', async () => {
    const short = await startStack({ env: { MAX_CALL_MS: '3000' } });
    try {
      const phone = await VonagePhone.connect(short.wsUrl + v2('limit-long'), { rateHz: 8000, headers: demoHeaders() });
      expect(await phone.closed).toEqual({ code: 4005, reason: 'maximum call duration reached' });
      const metrics = await (await fetch(short.httpUrl + '/metrics')).text();
      expect(metrics).toMatch(/lexconn_call_closes_total\{code="4005"\} 1/);
    } finally {
      await short.close();
    }
  });

  it('retries a throttled text turn with the SDK retry strategy (bounded by LEX_MAX_ATTEMPTS)', async () => {
    await until(() => stack.connector.activeCalls() === 0);
    const session = 'limit-retry';
    const phone = await VonagePhone.connect(stack.wsUrl + v2(session), { rateHz: 8000, headers: demoHeaders() });
    stack.emu.session(session).script.push('order flowers');
    phone.sendAudio(utterance('order flowers', 8000));
    await phone.nextReply();
    // Two 429s, then success: the SDK's third attempt answers the DTMF entry.
    stack.emu.session(session).faults.push({ fault: { type: 'throttle' }, times: 2 });
    phone.sendDtmf('1');
    phone.sendDtmf('#');
    await phone.nextReply();
    expect(stack.emu.session(session).faults).toHaveLength(0);
    expect(stack.emu.session(session).dialog.intent?.slots.FlowerType).toBe('roses');
    // Three 429s exceed LEX_MAX_ATTEMPTS=3: the turn fails, the call goes on.
    stack.emu.session(session).faults.push({ fault: { type: 'throttle' }, times: 3 });
    phone.sendDtmf('2');
    phone.sendDtmf('#');
    await until(() => stack.emu.session(session).faults.length === 0);
    stack.emu.session(session).script.push('tomorrow');
    phone.sendAudio(utterance('tomorrow', 8000));
    await phone.nextReply();
    expect(stack.emu.session(session).dialog.intent?.slots.PickupDate).toBeTruthy();
    phone.hangUp();
  });

  it('exports the documented metrics', async () => {
    const text = await (await fetch(stack.httpUrl + '/metrics')).text();
    for (const name of [
      'lexconn_active_calls',
      'lexconn_calls_total',
      'lexconn_call_closes_total',
      'lexconn_turns_total',
      'lexconn_turn_latency_seconds_bucket',
      'lexconn_turn_overhead_seconds_bucket{le="0.001",route="v2"}',
      'lexconn_lex_first_byte_seconds_bucket',
      'lexconn_lex_request_seconds_bucket',
      'lexconn_barge_ins_total',
      'lexconn_dtmf_digits_total',
      'lexconn_errors_total{code="LEX_THROTTLED"}',
      'lexconn_frames_sent_total',
      'lexconn_frames_dropped_total',
      'lexconn_pacer_underruns_total',
      'lexconn_lex_stream_reopens_total',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(text).toContain(name);
  });
});
