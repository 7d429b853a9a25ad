/** WebSocket paths of the three Lex routes for the demo bot, by session id. */
export const ROUTES = {
  v1: (s: string) => `/bot/OrderFlowers/alias/%24LATEST/user/${s}/content`,
  v2: (s: string) => `/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/${s}/utterance`,
  conversation: (s: string) => `/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/${s}/conversation`,
};
