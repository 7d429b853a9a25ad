import type { CallRoute } from '../call/routes.js';
import type { CallConfig } from '../call/call-config.js';
import type { CallTransport } from '../transports/transport.js';
import type { LexClientFactory } from '../bots/lex-clients.js';
import { LexV1Bot } from '../bots/lexv1/lex-v1-bot.js';
import { LexV2Bot } from '../bots/lexv2/lex-v2-bot.js';
import { UtteranceSession } from '../session/utterance-session.js';
import { ConversationSession } from '../session/conversation-session.js';
import type { Session, SessionDeps, SessionEnd } from '../session/session-deps.js';

function v2Address(r: { botId: string; botAliasId: string; localeId: string; sessionId: string }) {
  return { botId: r.botId, botAliasId: r.botAliasId, localeId: r.localeId, sessionId: r.sessionId };
}

/** Creates the session for a route (the place where a route meets its Lex API). */
export function createSession(route: CallRoute, call: CallConfig, transport: CallTransport, lex: LexClientFactory, deps: SessionDeps, end: SessionEnd): Session {
  switch (route.api) {
    case 'v1': {
      const addr = { botName: route.botName, botAlias: route.botAlias, userId: route.userId };
      return new UtteranceSession(transport, call, new LexV1Bot(lex.v1(call), addr, call), deps, end);
    }
    case 'v2':
      return new UtteranceSession(transport, call, new LexV2Bot(lex.v2(call, false), v2Address(route), call), deps, end);
    case 'conversation':
      return new ConversationSession(transport, call, lex.v2(call, true), v2Address(route), deps, end);
    default: {
      const never: never = route;
      return never;
    }
  }
}
