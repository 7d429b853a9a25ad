import { PathTemplate } from './path-template.js';

// Lex's own identifier rules (protocols.md §3.2, §4.1), so a bad path is refused before the upgrade.
// Ids made only of dots (`.`, `..`, also percent-encoded) are refused too: they would become path
// segments of the Lex request.
const SESSION_ID = /^(?!\.+$)[0-9a-zA-Z._:-]{2,100}$/;
const V1_NAME = /^(?!\.+$)[0-9a-zA-Z._$-]{1,100}$/;
const V2_ID = /^[0-9a-zA-Z]{1,10}$/;

/** Identifier patterns of Lex paths: bot names and aliases (V1), ids and locales (V2), session ids (both). */
export const LEX_IDS = {
  botName: V1_NAME,
  botAlias: V1_NAME,
  userId: SESSION_ID,
  botId: V2_ID,
  botAliasId: V2_ID,
  localeId: /^[a-z]{2}_[A-Z]{2}$/,
  sessionId: SESSION_ID,
};

/** Ids of a V1 bot session (`/bot/{botName}/alias/{botAlias}/user/{userId}/content`). */
export type V1Ids = { botName: string; botAlias: string; userId: string };
/** Ids of a V2 bot session (`/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/…`). */
export type V2Ids = { botId: string; botAliasId: string; localeId: string; sessionId: string };

const V2_PATH = '/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}';
const { botName, botAlias, userId, botId, botAliasId, localeId, sessionId } = LEX_IDS;
const v2Ids = { botId, botAliasId, localeId, sessionId };

/**
 * The WebSocket routes, one line each: the path is the Lex API path, so it selects the Lex
 * API and names the bot session. A new route is a line here and a case in `bots/bot-factory.ts`.
 */
export const CALL_ROUTES = {
  /** Lex V1 PostContent, one request per utterance. */
  v1: new PathTemplate<keyof V1Ids>('/bot/{botName}/alias/{botAlias}/user/{userId}/content', { botName, botAlias, userId }),
  /** Lex V2 RecognizeUtterance, one request per utterance. */
  v2: new PathTemplate<keyof V2Ids>(`${V2_PATH}/utterance`, v2Ids),
  /** Lex V2 StartConversation, one stream per call. */
  conversation: new PathTemplate<keyof V2Ids>(`${V2_PATH}/conversation`, v2Ids),
};

/** A route kind: `v1`, `v2` or `conversation`. */
export type RouteKind = keyof typeof CALL_ROUTES;

/** Every route kind, in table order. */
export const ROUTE_KINDS = Object.keys(CALL_ROUTES) as RouteKind[];

/** A WebSocket path, parsed: the route kind (`api`) and the bot session's ids. */
export type CallRoute = ({ api: 'v1' } & V1Ids) | ({ api: 'v2' | 'conversation' } & V2Ids);

/** Parses a request path (query string ignored); undefined for anything that is not a Lex route. */
export function parseRoute(url: string): CallRoute | undefined {
  for (const api of ROUTE_KINDS) {
    const ids = CALL_ROUTES[api].parse(url);
    if (ids) return { api, ...ids } as CallRoute;
  }
  return undefined;
}

/** The WebSocket path of `route` (the inverse of `parseRoute`). */
export function routePath(route: CallRoute): string {
  return route.api === 'v1' ? CALL_ROUTES.v1.build(route) : CALL_ROUTES[route.api].build(route);
}

/** The Lex session id of a route: V1's `userId`, V2's `sessionId`. */
export function lexSessionId(route: CallRoute): string {
  return route.api === 'v1' ? route.userId : route.sessionId;
}
