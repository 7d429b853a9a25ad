import type { DialogEngine } from './dialog.js';
import type { LexCore } from './lex-core.js';
import { CONSTRAINTS, validationMessage, type Member } from './validation.js';

/** A V1 runtime operation (Amazon Lex Runtime Service) addressed by its path. */
export interface V1Operation {
  api: 'v1';
  name: 'PostContent' | 'PostText' | 'GetSession' | 'PutSession' | 'DeleteSession';
  bot: string;
  alias: string;
  user: string;
}

/** A V2 runtime operation (Amazon Lex Runtime V2) addressed by its path. */
export interface V2Operation {
  api: 'v2';
  name: 'RecognizeUtterance' | 'RecognizeText' | 'StartConversation' | 'GetSession' | 'PutSession' | 'DeleteSession';
  botId: string;
  aliasId: string;
  localeId: string;
  sessionId: string;
}

/** Either runtime's operation. */
export type Operation = V1Operation | V2Operation;

/** An AWS error answer: status, exception name (`x-amzn-ErrorType`), message. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
}

// GetSession (V1) is modeled with a trailing slash; clients send either form.
const V1_RE = /^\/bot\/([^/]+)\/alias\/([^/]+)\/user\/([^/]+)\/(content|text|session\/?)$/;
const V2_RE = /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)(?:\/(utterance|text|conversation))?$/;
const V1_NAMES: Record<string, V1Operation['name']> = {
  'POST content': 'PostContent',
  'POST text': 'PostText',
  'GET session': 'GetSession',
  'POST session': 'PutSession',
  'DELETE session': 'DeleteSession',
};
const V2_NAMES: Record<string, V2Operation['name']> = {
  'POST utterance': 'RecognizeUtterance',
  'POST text': 'RecognizeText',
  'POST conversation': 'StartConversation',
  'GET ': 'GetSession',
  'POST ': 'PutSession',
  'DELETE ': 'DeleteSession',
};

function decode(segments: string[]): string[] | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** The operation a method and path name, or undefined (AWS: 404 `UnknownOperationException`). */
export function matchOperation(method: string, path: string): Operation | undefined {
  const v1 = V1_RE.exec(path);
  if (v1) {
    const name = V1_NAMES[`${method} ${v1[4].replace('/', '')}`];
    const p = decode(v1.slice(1, 4));
    if (!name || !p || (v1[4].endsWith('/') && name !== 'GetSession')) return undefined;
    return { api: 'v1', name, bot: p[0], alias: p[1], user: p[2] };
  }
  const v2 = V2_RE.exec(path);
  if (v2) {
    const name = V2_NAMES[`${method} ${v2[5] ?? ''}`];
    const p = decode(v2.slice(1, 5));
    if (!name || !p) return undefined;
    return { api: 'v2', name, botId: p[0], aliasId: p[1], localeId: p[2], sessionId: p[3] };
  }
  return undefined;
}

/** The path members of an operation with their API-model constraints. */
function pathMembers(op: Operation): Member[] {
  if (op.api === 'v1') return [{ name: 'userId', value: op.user, required: true, ...CONSTRAINTS.sessionId }];
  return [
    { name: 'botId', value: op.botId, required: true, ...CONSTRAINTS.botId },
    { name: 'localeId', value: op.localeId, required: true, ...CONSTRAINTS.localeId },
    { name: 'sessionId', value: op.sessionId, required: true, ...CONSTRAINTS.sessionId },
  ];
}

/** A 400 in the runtime's own exception name (V1 `BadRequestException`, V2 `ValidationException`). */
function badRequest(op: Operation, message: string): ErrorAnswer {
  return { status: 400, code: op.api === 'v1' ? 'BadRequestException' : 'ValidationException', message };
}

/** A 404 in the runtime's own exception name (V1 `NotFoundException`, V2 `ResourceNotFoundException`). */
export function notFound(op: Operation, message: string): ErrorAnswer {
  return { status: 404, code: op.api === 'v1' ? 'NotFoundException' : 'ResourceNotFoundException', message };
}

/**
 * Validates the path and the given body members together (AWS reports every broken
 * constraint in one message), then finds the bot, alias and locale: the dialog engine,
 * or the 400/404 AWS would answer.
 */
export function resolve(core: LexCore, op: Operation, bodyMembers: Member[] = []): DialogEngine | ErrorAnswer {
  const invalid = validationMessage([...pathMembers(op), ...bodyMembers]);
  if (invalid) return badRequest(op, invalid);
  if (op.api === 'v1') {
    const engine = core.engine('v1', op.bot);
    if (!engine) return notFound(op, `Bot ${op.bot} not found`);
    if (op.alias !== '$LATEST' && !engine.bot.aliases.includes(op.alias)) {
      return notFound(op, `Cannot find the alias ${op.alias} for bot ${op.bot}`);
    }
    return engine;
  }
  const engine = core.engine('v2', op.botId);
  if (!engine) return notFound(op, `Bot ${op.botId} not found`);
  if (op.aliasId !== 'TSTALIASID' && !engine.bot.botAliasIds.includes(op.aliasId)) {
    return notFound(op, `Bot alias ${op.aliasId} not found for bot ${op.botId}`);
  }
  if (!engine.bot.localeIds.includes(op.localeId)) {
    return notFound(op, `Locale ${op.localeId} not found for bot ${op.botId} and alias ${op.aliasId}`);
  }
  return engine;
}

/** True when `resolve` answered with an error. */
export function isError(x: DialogEngine | ErrorAnswer): x is ErrorAnswer {
  return (x as ErrorAnswer).status !== undefined;
}
