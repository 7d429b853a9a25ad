import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const SOURCES = ['src/config.ts', 'src/call/events-config.ts', 'src/call/handoff-config.ts', 'src/chat/chat-config.ts'];

/** Every environment key the config modules read (`env.KEY`, `env, 'KEY'`, `'KEY'` in the chat's key table). */
function keysRead(): string[] {
  const keys = new Set<string>();
  for (const src of SOURCES) {
    const text = read(src);
    for (const m of text.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)) keys.add(m[1]);
    for (const m of text.matchAll(/env, '([A-Z][A-Z0-9_]+)'/g)) keys.add(m[1]);
  }
  return [...keys].sort();
}

describe('every server key is documented', () => {
  const keys = keysRead();
  it('finds the keys', () => {
    expect(keys).toContain('EVENTS_SECRET');
    expect(keys).toContain('HANDOFF_TWILIO_ACCOUNT_SID');
    expect(keys.length).toBeGreaterThan(60);
  });
  it.each(keys)('%s is in docs/configuration.md and .env.example', (key) => {
    expect(read('docs/configuration.md')).toContain(key);
    expect(read('.env.example')).toContain(key);
  });
});

describe('docs/handoff.md examples', () => {
  it('every JSON example parses, and the NCCO examples are arrays of actions', () => {
    const blocks = [...read('docs/handoff.md').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown);
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) expect(Array.isArray(b) && b.every((a) => typeof (a as { action?: unknown }).action === 'string')).toBe(true);
  });
});
