import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VonagePhone } from '../../src/phones/vonage-phone.js';
import { utterance } from '../helpers/audio.js';
import { ROUTES } from '../helpers/routes.js';
import { demoHeaders, type Stack, startStack } from '../helpers/stack.js';

/** The AWS SDK's own log lines go through the connector's pino logger, never to the console. */
describe('AWS SDK logging', () => {
  let stack: Stack;
  const consoleLines: string[] = [];
  beforeAll(async () => {
    stack = await startStack();
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void consoleLines.push(`${level}: ${args.map(String).join(' ')}`));
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await stack.close();
  });

  it('a failed streaming request (RecognizeUtterance answered 500) logs the SDK warning as a pino line at debug, not on the console', async () => {
    const session = 'sdk-log-500';
    stack.emu.session(session).faults.push({ fault: { type: 'error', status: 500 }, times: 1 });
    stack.emu.session(session).script.push('I would like to order some flowers');
    const phone = await VonagePhone.connect(stack.wsUrl + ROUTES.v2(session), { rateHz: 16000, headers: demoHeaders() });
    phone.sendAudio(utterance('I would like to order some flowers', 16000));
    // The connector's answer to a failed turn: the call goes on; hang up once the SDK has given up.
    await vi.waitFor(() => expect(stack.logs.some((l) => l.includes('non-retryable streaming request'))).toBe(true), { timeout: 20_000 });
    phone.hangUp();
    await phone.closed;
    expect(consoleLines.filter((l) => l.includes('non-retryable'))).toEqual([]);
    const line = JSON.parse(stack.logs.find((l) => l.includes('non-retryable streaming request'))!);
    expect(line).toMatchObject({ level: 20, component: 'aws-sdk', msg: 'An error was encountered in a non-retryable streaming request.' });
    expect(stack.logs.join('')).not.toContain(demoHeaders().aws_secret as string);
  });
});
