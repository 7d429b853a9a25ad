import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostTextCommand, GetSessionCommand as V1GetSession, PutSessionCommand as V1PutSession } from '@aws-sdk/client-lex-runtime-service';
import { DeleteSessionCommand, GetSessionCommand, PutSessionCommand, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';
import { demoCredentials, v1Client, v2Client } from '../helpers/lex-clients.js';

const BOT = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US' };
const V1BOT = { botName: 'OrderFlowers', botAlias: '$LATEST' };
let emu: Emulator;

beforeAll(async () => {
  emu = await createEmulator({ today: () => new Date('2026-11-22T12:00:00Z') });
});
afterAll(async () => {
  await emu.close();
});

type Stack = { addRelativeTo: (mw: FinalizeRequestMiddleware<object, object>, o: { relation: 'before' | 'after'; toMiddleware: string; name: string }) => void };

/**
 * Makes the SDK send a body its signature does not cover, touching nothing else (the signed
 * `content-length` stays right): `swapTo` replaces the body after signing with one of the
 * same length; `signEmpty` signs an empty body and sends the real one.
 */
function tamper(stack: Stack, how: { swapTo?: string; signEmpty?: boolean }): void {
  let saved: unknown;
  const body =
    (f: (req: { body?: unknown }) => void): FinalizeRequestMiddleware<object, object> =>
    (next) =>
    (args) => {
      f(args.request as { body?: unknown });
      return next(args);
    };
  if (how.signEmpty) {
    stack.addRelativeTo(
      body((r) => ((saved = r.body), (r.body = ''))),
      { relation: 'before', toMiddleware: 'awsAuthMiddleware', name: 'signEmpty' },
    );
    stack.addRelativeTo(
      body((r) => (r.body = saved)),
      { relation: 'after', toMiddleware: 'awsAuthMiddleware', name: 'sendReal' },
    );
  }
  if (how.swapTo !== undefined) {
    const swapTo = how.swapTo;
    stack.addRelativeTo(
      body((r) => {
        expect(Buffer.byteLength(String(r.body))).toBe(Buffer.byteLength(swapTo));
        r.body = swapTo;
      }),
      { relation: 'after', toMiddleware: 'awsAuthMiddleware', name: 'swapBody' },
    );
  }
}

describe('signatures as AWS checks them (real JS SDK v3)', () => {
  it.each([
    ['swap', { swapTo: JSON.stringify({ text: 'agent' }) }],
    ['empty', { signEmpty: true }],
  ] as [string, { swapTo?: string; signEmpty?: boolean }][])('refuses a V2 body the signature does not cover with 403 InvalidSignatureException (%s)', async (label, how) => {
    const lex = v2Client(emu.url);
    tamper(lex.middlewareStack as unknown as Stack, how);
    const sessionId = `js-tamper-v2-${label}`;
    await expect(lex.send(new RecognizeTextCommand({ ...BOT, sessionId, text: 'hello' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    expect(emu.session(sessionId).events).toEqual([]);
    lex.destroy();
  });

  it('refuses a V1 body the signature does not cover with 403 InvalidSignatureException', async () => {
    const lex = v1Client(emu.url);
    tamper(lex.middlewareStack as unknown as Stack, { swapTo: JSON.stringify({ inputText: 'agent' }) });
    await expect(lex.send(new PostTextCommand({ ...V1BOT, userId: 'js-tamper-v1', inputText: 'hello' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    lex.destroy();
  });

  it('refuses a request signed more than 5 minutes from its clock, and the SDK corrects its clock from the Date header', async () => {
    const skewed = await createEmulator({ clock: () => Date.now() + 10 * 60_000 });
    try {
      const once = v2Client(skewed.url);
      const err = await once.send(new RecognizeTextCommand({ ...BOT, sessionId: 'js-skew', text: 'hi' })).catch((e: Error) => e);
      expect(err).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
      expect((err as Error).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
      // As against AWS: the SDK reads the server's Date header, corrects its offset and retries.
      const retrying = v2Client(skewed.url, demoCredentials, { maxAttempts: 2 });
      const r = await retrying.send(new RecognizeTextCommand({ ...BOT, sessionId: 'js-skew', text: 'hi' }));
      expect(r.$metadata.attempts).toBe(2);
      once.destroy();
      retrying.destroy();
    } finally {
      await skewed.close();
    }
  });
});

describe('validation in AWS words (real JS SDK v3)', () => {
  it('answers a too-short session id and an over-long text with one ValidationException', async () => {
    const lex = v2Client(emu.url);
    await expect(lex.send(new RecognizeTextCommand({ ...BOT, sessionId: 'a', text: 'x'.repeat(1025) }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      message:
        "2 validation errors detected: Value 'a' at 'sessionId' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
        "Value at 'text' failed to satisfy constraint: Member must have length less than or equal to 1024",
    });
    lex.destroy();
  });
});

describe('session APIs sharing the runtime session store (real JS SDK v3)', () => {
  it('V2: PutSession seeds the dialog, RecognizeText continues it, GetSession shows it, DeleteSession forgets it', async () => {
    const lex = v2Client(emu.url);
    const sessionId = 'js-session-v2';
    const slot = (v: string) => ({ value: { originalValue: v, interpretedValue: v, resolvedValues: [v] } });
    await lex.send(
      new PutSessionCommand({
        ...BOT,
        sessionId,
        sessionState: {
          dialogAction: { type: 'ElicitSlot', slotToElicit: 'PickupTime' },
          intent: { name: 'OrderFlowers', state: 'InProgress', slots: { FlowerType: slot('roses'), PickupDate: slot('2026-12-01') } },
        },
      }),
    );
    expect(emu.session(sessionId).dialog.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'PickupTime' });
    const r = await lex.send(new RecognizeTextCommand({ ...BOT, sessionId, text: 'noon' }));
    expect(r.sessionState?.dialogAction?.type).toBe('ConfirmIntent');
    const g = await lex.send(new GetSessionCommand({ ...BOT, sessionId }));
    expect(g.sessionState?.intent?.slots?.PickupTime?.value?.interpretedValue).toBe('12:00');
    expect(g.sessionState?.originatingRequestId).toBe(r.sessionState?.originatingRequestId);
    await lex.send(new DeleteSessionCommand({ ...BOT, sessionId }));
    await expect(lex.send(new GetSessionCommand({ ...BOT, sessionId }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    lex.destroy();
  });

  it('V1: PutSession and GetSession', async () => {
    const lex = v1Client(emu.url);
    const put = await lex.send(
      new V1PutSession({ ...V1BOT, userId: 'js-session-v1', accept: 'text/plain; charset=utf-8', dialogAction: { type: 'ElicitSlot', intentName: 'OrderFlowers', slotToElicit: 'FlowerType' } }),
    );
    expect(put.dialogState).toBe('ElicitSlot');
    const g = await lex.send(new V1GetSession({ ...V1BOT, userId: 'js-session-v1' }));
    expect(g.dialogAction).toMatchObject({ type: 'ElicitSlot', intentName: 'OrderFlowers', slotToElicit: 'FlowerType' });
    expect(g.sessionId).toBe(put.sessionId);
    lex.destroy();
  });
});
