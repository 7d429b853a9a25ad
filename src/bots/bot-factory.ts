import type { CallRoute, V2Ids } from '../call/routes.js';
import type { BotOptions, RouteBot } from './bot.js';
import type { LexClientFactory, LexCredentials } from './lex-clients.js';
import { LexV1Bot } from './lexv1/lex-v1-bot.js';
import { LexV2ConversationBot } from './lexv2/conversation-bot.js';
import { LexV2Bot } from './lexv2/lex-v2-bot.js';

function v2Ids(r: V2Ids): V2Ids {
  return { botId: r.botId, botAliasId: r.botAliasId, localeId: r.localeId, sessionId: r.sessionId };
}

/**
 * The bot of a call: where a route kind meets its bot back-end. Each bot gets its session's
 * address and `BotOptions` only; the credentials go to the SDK client and nowhere else.
 * A new back-end is a folder under `bots/` and a case here.
 */
export function createBot(route: CallRoute, lex: LexClientFactory, call: LexCredentials & BotOptions): RouteBot {
  const credentials: LexCredentials = { awsKey: call.awsKey, awsSecret: call.awsSecret, awsSessionToken: call.awsSessionToken, awsRegion: call.awsRegion };
  const options: BotOptions = { sessionAttributes: call.sessionAttributes, requestAttributes: call.requestAttributes };
  switch (route.api) {
    case 'v1':
      return { kind: 'utterance', bot: new LexV1Bot(lex.v1(credentials), { botName: route.botName, botAlias: route.botAlias, userId: route.userId }, options) };
    case 'v2':
      return { kind: 'utterance', bot: new LexV2Bot(lex.v2(credentials, false), v2Ids(route), options) };
    case 'conversation':
      return { kind: 'conversation', bot: new LexV2ConversationBot(lex.v2(credentials, true), v2Ids(route), options) };
    default: {
      const never: never = route;
      return never;
    }
  }
}
