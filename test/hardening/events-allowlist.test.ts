import { describe, expect, it } from 'vitest';
import { eventsUrlAllowed, loadEventsConfig } from '../../src/call/events-config.js';

// EVENTS_URL_ALLOWLIST entries are compared with the URL a call names after WHATWG parsing,
// which drops a scheme's default port, lower-cases, compresses IPv6 and canonicalises IPv4.
// An entry written in another (valid) form must mean the same origin, not silently match nothing.
const allow = (entries: string) => loadEventsConfig({ EVENTS_SECRET: 'x'.repeat(16), EVENTS_URL_ALLOWLIST: entries }).allowlist;

describe('EVENTS_URL_ALLOWLIST entries mean their origin, however written', () => {
  it.each([
    ['https://hooks.example.com:443', 'https://hooks.example.com/lex'],
    ['http://hooks.example.com:80', 'http://hooks.example.com/lex'],
    ['https://*.tenants.example.com:443', 'https://a.tenants.example.com/lex'],
    ['http://[0:0:0:0:0:0:0:1]:9000', 'http://[::1]:9000/lex'],
    ['https://Hooks.Example.COM', 'https://hooks.example.com/lex'],
  ])('%s allows %s', (entry, url) => {
    expect(eventsUrlAllowed(url, allow(entry))).toBe(true);
  });

  it.each([
    ['https://hooks.example.com:443', 'https://hooks.example.com:8443/lex'],
    ['https://hooks.example.com:443', 'http://hooks.example.com/lex'],
    ['https://*.tenants.example.com:443', 'https://tenants.example.com.evil.test/lex'],
    ['http://[0:0:0:0:0:0:0:1]:9000', 'http://[::2]:9000/lex'],
  ])('%s still refuses %s', (entry, url) => {
    expect(eventsUrlAllowed(url, allow(entry))).toBe(false);
  });

  it('an entry that is not a host is refused at start, naming the key', () => {
    expect(() => allow('http://[zz::1]:9000')).toThrow('EVENTS_URL_ALLOWLIST entries must be origins');
    expect(() => allow('http://hooks.example.com:99999')).toThrow('EVENTS_URL_ALLOWLIST entries must be origins');
  });
});
