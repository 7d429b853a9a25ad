import { describe, expect, it } from 'vitest';
import { CALL_ROUTES, parseRoute, ROUTE_KINDS, routePath, type CallRoute } from '../../src/call/routes.js';
import { PathTemplate } from '../../src/call/path-template.js';
import { loadConfig } from '../../src/config.js';

describe('the route table', () => {
  const routes: CallRoute[] = [
    { api: 'v1', botName: 'Order.Flowers', botAlias: '$LATEST', userId: 'caller:4915112345678' },
    { api: 'v2', botId: 'ABCDEFGHIJ', botAliasId: 'TSTALIASID', localeId: 'de_DE', sessionId: 'CA0123456789abcdef' },
    { api: 'conversation', botId: 'B1', botAliasId: 'A1', localeId: 'en_GB', sessionId: 'conv-1.2_3' },
  ];

  it.each(routes)('builds a path that parses back to the same route ($api)', (route) => {
    expect(parseRoute(routePath(route))).toEqual(route);
  });

  it('has one template per route kind, each parsing only its own paths', () => {
    expect(ROUTE_KINDS).toEqual(['v1', 'v2', 'conversation']);
    for (const route of routes) {
      const path = routePath(route);
      expect(ROUTE_KINDS.filter((k) => CALL_ROUTES[k].parse(path))).toEqual([route.api]);
    }
  });

  it('encodes what a template builds and refuses segments that break their pattern', () => {
    const t = new PathTemplate('/a/{x}/b', { x: /^[a-z$ ]+$/ });
    expect(t.build({ x: 'a $b' })).toBe('/a/a%20%24b/b');
    expect(t.parse('/a/a%20%24b/b?q=1')).toEqual({ x: 'a $b' });
    expect(t.parse('/a/A/b')).toBeUndefined();
    expect(t.parse('/a/%E0%A4%A/b')).toBeUndefined();
    expect(() => new PathTemplate('/a/{y}', { x: /x/ } as never)).toThrow(RangeError);
  });

  it('config validation uses the same id patterns and route kinds', () => {
    expect(() => loadConfig({ EXAMPLE_BOT_ID: 'not/an/id' })).toThrow(/EXAMPLE_BOT_ID/);
    expect(() => loadConfig({ EXAMPLE_LOCALE_ID: 'english' })).toThrow(/EXAMPLE_LOCALE_ID/);
    expect(() => loadConfig({ EXAMPLE_ROUTE: 'v3' })).toThrow(/EXAMPLE_ROUTE must be one of v1, v2, conversation/);
    expect(loadConfig({ EXAMPLE_ROUTE: 'conversation' }).example.route).toBe('conversation');
  });
});
