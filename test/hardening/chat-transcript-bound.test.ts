import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/chat/conversation-state.js';
import { ACCOUNT, ch, startChatStack, type ChatStack } from '../helpers/chat-stack.js';
import { until } from '../helpers/stack.js';

// The chat channel remembers a transcript per conversation for the Flex agent: CHAT_TRANSCRIPT_MAX
// lines (50) of up to 1,600 characters each (Twilio's Body limit; the webhook takes 64 KB), for
// up to CHAT_MAX_CONVERSATIONS (10,000) conversations. Customers of a web chat are anonymous: long
// messages in many conversations made that about 80 KB a conversation, 0.8 GB or more in all,
// and the same 80 KB went into the Flex task's attributes. Each line is now cut to what Lex
// accepts (1,024 characters) and each transcript to 8,000 characters, newest lines kept.
describe('a conversation transcript is bounded in characters, not only in lines', () => {
  it('the store keeps at most 8,000 characters per conversation, each line at most 1,024, newest first', () => {
    const store = new ConversationStore(10, 50);
    const m = store.get('AC/CH');
    for (let i = 0; i < 50; i++) store.note(m, i % 2 ? 'bot' : 'customer', `${i}:${'y'.repeat(1598)}`);
    const chars = m.transcript.reduce((n, l) => n + l.text.length, 0);
    expect(chars).toBeLessThanOrEqual(8000);
    expect(m.transcript.every((l) => l.text.length <= 1024)).toBe(true);
    expect(m.transcript.at(-1)!.text.startsWith('49:')).toBe(true);
    // Counted in UTF-16 units and never cut inside a surrogate pair.
    store.note(m, 'customer', '\u{1F339}'.repeat(800));
    const rose = m.transcript.at(-1)!.text;
    expect(rose.length).toBeLessThanOrEqual(1024);
    expect(rose).toBe(`${'\u{1F339}'.repeat(511)}…`);
  });

  describe('through the Twilio channel', () => {
    let s: ChatStack;
    beforeAll(async () => {
      s = await startChatStack();
    });
    afterAll(async () => {
      await s.close();
    });

    it('30 messages of 1,600 characters, then "talk to an agent": the Flex task carries at most 8,000 characters of transcript, the newest lines', async () => {
      const sid = ch(0x501);
      s.fake.conversation(ACCOUNT, { sid, webhookUrl: s.webhookUrl });
      for (let i = 0; i < 30; i++) await s.fake.say(ACCOUNT, sid, 'customer', `${i} ${'long message '.repeat(123)}`);
      await s.fake.say(ACCOUNT, sid, 'customer', 'talk to an agent');
      await until(() => s.fake.store.interactions.some((x) => (x.channel.properties as { media_channel_sid?: string }).media_channel_sid === sid));
      const interaction = s.fake.store.interactions.find((x) => (x.channel.properties as { media_channel_sid?: string }).media_channel_sid === sid)!;
      const transcript = (interaction.routing.properties as { attributes: { lex: { transcript: { from: string; text: string }[] } } }).attributes.lex.transcript;
      expect(transcript.reduce((n, l) => n + l.text.length, 0)).toBeLessThanOrEqual(8000);
      expect(transcript.every((l) => l.text.length <= 1024)).toBe(true);
      expect(transcript.slice(-2)).toEqual([
        { from: 'customer', text: 'talk to an agent' },
        { from: 'bot', text: 'Okay, let me get you to an agent.' },
      ]);
    });
  });
});
