import type { RouteBot } from '../bots/bot.js';
import type { CallConfig } from '../call/call-config.js';
import type { CallTransport } from '../transports/transport.js';
import { ConversationSession } from './conversation-session.js';
import type { Session, SessionDeps, SessionEnd } from './session-deps.js';
import { UtteranceSession } from './utterance-session.js';

/** The session a call's bot needs: per-utterance bots get local VAD and one request per utterance; streaming bots get every frame. */
export function createSession(bot: RouteBot, transport: CallTransport, call: CallConfig, deps: SessionDeps, end: SessionEnd): Session {
  return bot.kind === 'utterance' ? new UtteranceSession(transport, call, bot.bot, deps, end) : new ConversationSession(transport, call, bot.bot, deps, end);
}
