import { describe, expect, it } from 'vitest';
import type { LexRuntimeV2Client, StartConversationCommand } from '@aws-sdk/client-lex-runtime-v2';
import { LexV2ConversationBot } from '../../src/bots/lexv2/conversation-bot.js';

// Issue 10.2 (second half): the first /conversation call of a process kept its unsent events
// reachable after hang-up (through the SDK's pending StartConversationCommand): a cancelled
// stream must let go of what it never sent, and a flood of events must be refused, not queued.

/** A client whose StartConversation never answers (as when credentials never resolve), keeping the command it was given. */
function stalledClient(): { client: LexRuntimeV2Client; command: () => StartConversationCommand } {
  let command: StartConversationCommand | undefined;
  const client = {
    send: (c: StartConversationCommand) => {
      command = c;
      return new Promise(() => undefined);
    },
    destroy: () => undefined,
  } as unknown as LexRuntimeV2Client;
  return { client, command: () => command! };
}

async function drain(events: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of events) n++;
  return n;
}

const ids = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId: 'queue-test' };
const setup = { replyRateHz: 8000, resume: false };

describe('events queued for a StartConversation stream', () => {
  it('a cancelled stream keeps none of the events it never sent', async () => {
    const { client, command } = stalledClient();
    const stream = new LexV2ConversationBot(client, ids, {}).open(
      setup,
      () => undefined,
      () => undefined,
    );
    for (let i = 0; i < 100; i++) stream.sendDtmf('1');
    for (let i = 0; i < 100; i++) stream.sendAudio(new Uint8Array(320));
    stream.cancel();
    // What the SDK would still pull from the request stream: nothing.
    expect(await drain(command().input.requestEventStream as AsyncIterable<unknown>)).toBe(0);
  });

  it('refuses control events past the bound instead of queueing them without limit', () => {
    const { client } = stalledClient();
    const stream = new LexV2ConversationBot(client, ids, {}).open(
      setup,
      () => undefined,
      () => undefined,
    );
    let accepted = 0;
    for (let i = 0; i < 5000; i++) if (stream.sendDtmf('1')) accepted++;
    expect(accepted).toBeLessThan(1000);
    expect(stream.sendPlaybackCompletion()).toBe(false);
    stream.cancel();
  });
});
