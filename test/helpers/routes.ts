import { routePath } from '../../src/call/routes.js';

const v2Bot = { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US' };

/** WebSocket paths of the three Lex routes for the demo bot, by session id (built by the route table). */
export const ROUTES = {
  v1: (s: string) => routePath({ api: 'v1', botName: 'OrderFlowers', botAlias: '$LATEST', userId: s }),
  v2: (s: string) => routePath({ api: 'v2', ...v2Bot, sessionId: s }),
  conversation: (s: string) => routePath({ api: 'conversation', ...v2Bot, sessionId: s }),
};
