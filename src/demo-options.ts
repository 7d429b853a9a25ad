/**
 * `npm run demo`'s own options (docs/configuration.md, "The demo"). The demo always runs its
 * own embedded Lex emulator, whatever `LEX_ENDPOINT_URL`, `EMBEDDED_EMULATOR` or `.env` say,
 * unless it is told to use another emulator; and its log level is its own, so a `LOG_LEVEL`
 * from `.env` never mixes JSON lines into the printed conversation.
 */
export interface DemoOptions {
  /** A Lex emulator started elsewhere (`npm run emulator`): `--lex-endpoint=URL` or `DEMO_LEX_ENDPOINT_URL`. */
  lexEndpoint?: string;
  /** `--log-level=LEVEL` or `DEMO_LOG_LEVEL`; default `warn`. */
  logLevel: string;
  /** `--chat`: the chat demo. */
  chat: boolean;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}

/** Reads the demo's options; throws an Error naming the bad one. */
export function demoOptions(argv: readonly string[], env: Record<string, string | undefined>): DemoOptions {
  const logLevel = flag(argv, 'log-level') ?? (env.DEMO_LOG_LEVEL || 'warn');
  if (!LEVELS.includes(logLevel)) throw new Error(`--log-level / DEMO_LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${logLevel}")`);
  const lexEndpoint = flag(argv, 'lex-endpoint') ?? (env.DEMO_LEX_ENDPOINT_URL || undefined);
  if (lexEndpoint !== undefined && !/^https?:\/\/[^/]+/.test(lexEndpoint)) throw new Error(`--lex-endpoint / DEMO_LEX_ENDPOINT_URL must be an http(s) URL (got "${lexEndpoint}")`);
  return { lexEndpoint: lexEndpoint?.replace(/\/$/, ''), logLevel, chat: argv.includes('--chat') };
}
