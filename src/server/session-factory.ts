import type { CallRoute } from './routes.js';
import type { CallConfig } from '../session/call-config.js';
import type { CallHandlers, CallTransport } from '../transports/transport.js';
import type { LexClientFactory } from '../bots/lex-clients.js';
import { LexV1Bot } from '../bots/lexv1/lex-v1-bot.js';
import { LexV2Bot } from '../bots/lexv2/lex-v2-bot.js';
import { UtteranceSession } from '../session/utterance-session.js';
import type { SessionDeps, SessionEnd } from '../session/session-deps.js';

/** A running call session: platform events in, `close()` to stop. */
export interface Session extends CallHandlers {
  close(): void;
  readonly stats: Record<string, number>;
}

/** Creates the session for a route (the place where a route meets its Lex API). */
export function createSession(
  route: CallRoute,
  call: CallConfig,
  transport: CallTransport,
  lex: LexClientFactory,
  deps: SessionDeps,
  end: SessionEnd,
  conversation?: (route: Extract<CallRoute, { api: 'conversation' }>) => Session,
): Session {
  switch (route.api) {
    case 'v1':
      return new UtteranceSession(transport, call, new LexV1Bot(lex.v1(call), route, call), deps, end);
    case 'v2':
      return new UtteranceSession(transport, call, new LexV2Bot(lex.v2(call, false), route, call), deps, end);
    case 'conversation':
      if (!conversation) throw new Error('conversation route not available');
      return conversation(route);
    default: {
      const never: never = route;
      return never;
    }
  }
}
