/** A WebSocket path, parsed: which Lex API and which bot session (the path is the Lex API path). */
export type CallRoute =
  | { api: 'v1'; botName: string; botAlias: string; userId: string }
  | { api: 'v2'; botId: string; botAliasId: string; localeId: string; sessionId: string }
  | { api: 'conversation'; botId: string; botAliasId: string; localeId: string; sessionId: string };

const V1 = /^\/bot\/([^/]+)\/alias\/([^/]+)\/user\/([^/]+)\/content$/;
const V2 = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)\/(utterance|conversation)$/;
// Lex's own identifier rules (protocols.md §3.2, §4.1), so a bad path is refused before the upgrade.
const SESSION_RE = /^[0-9a-zA-Z._:-]{2,100}$/;
const NAME_RE = /^[0-9a-zA-Z._$-]{1,100}$/;

function dec(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Parses a request path (query string ignored); undefined for anything that is not a Lex route. */
export function parseRoute(url: string): CallRoute | undefined {
  const path = url.split('?')[0];
  const v1 = V1.exec(path);
  if (v1) {
    const [botName, botAlias, userId] = [dec(v1[1]), dec(v1[2]), dec(v1[3])];
    if (!botName || !botAlias || !userId || !NAME_RE.test(botName) || !NAME_RE.test(botAlias) || !SESSION_RE.test(userId)) return undefined;
    return { api: 'v1', botName, botAlias, userId };
  }
  const v2 = V2.exec(path);
  if (v2) {
    const [botId, botAliasId, localeId, sessionId] = [dec(v2[1]), dec(v2[2]), dec(v2[3]), dec(v2[4])];
    if (!botId || !botAliasId || !localeId || !sessionId) return undefined;
    if (!/^[0-9a-zA-Z]{1,10}$/.test(botId) || !/^[0-9a-zA-Z]{1,10}$/.test(botAliasId) || !/^[a-z]{2}_[A-Z]{2}$/.test(localeId) || !SESSION_RE.test(sessionId)) {
      return undefined;
    }
    return { api: v2[5] === 'utterance' ? 'v2' : 'conversation', botId, botAliasId, localeId, sessionId };
  }
  return undefined;
}
