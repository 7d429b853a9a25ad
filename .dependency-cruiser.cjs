/**
 * The import rules of the connector, checked by `npm run lint`; docs/architecture.md ("Layers")
 * explains them. Layers, bottom to top:
 *   1 audio/                                     sound and time; imports nothing else of ours
 *   2 errors.ts call/ config.ts logger.ts metrics.ts   the call vocabulary
 *   3 transports/  bots/                          side by side; neither imports the other
 *   4 session/                                    sees bots and transports through their interfaces only
 *   5 server/
 *   6 app.ts main.ts demo.ts process-faults.ts    entry points
 * Beside them: emulator/ (a product of its own) and phones/ (the simulated-caller test kit).
 * dependency-cruiser resolves every import, type-only ones included, to a file, so the rules
 * are written folder to folder. TypeScript 7 has no JavaScript API, so swc parses.
 */
const ENTRY = '^src/(app|main|demo|process-faults)\\.ts$';
const SIDE = '^src/(emulator|phones)/';
const above = (...layers) => [ENTRY, SIDE, ...layers.map((l) => `^src/${l}/`)];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make load order matter.', from: {}, to: { circular: true } },
    {
      name: 'audio-is-the-floor',
      severity: 'error',
      comment: 'audio/ is sound and time only: it imports nothing else of the connector.',
      from: { path: '^src/audio/' },
      to: { path: '^src/', pathNot: '^src/audio/' },
    },
    {
      name: 'vocabulary-below-everything',
      severity: 'error',
      comment: 'errors, call vocabulary, config, logger and metrics sit under transports, bots, session and server.',
      from: { path: ['^src/call/', '^src/(errors|config|logger|metrics)\\.ts$'] },
      to: { path: above('transports', 'bots', 'session', 'server') },
    },
    {
      name: 'transports-below-sessions',
      severity: 'error',
      comment: 'A transport translates wire messages; it never calls a bot or a session.',
      from: { path: '^src/transports/' },
      to: { path: above('bots', 'session', 'server') },
    },
    {
      name: 'bots-below-sessions',
      severity: 'error',
      comment: 'A bot speaks to its back-end; it never sees a transport or a session.',
      from: { path: '^src/bots/' },
      to: { path: above('transports', 'session', 'server') },
    },
    {
      name: 'sessions-see-interfaces',
      severity: 'error',
      comment: 'Sessions know bots and transports through bots/bot.ts and transports/transport.ts only (no SDK, no wire format).',
      from: { path: '^src/session/' },
      to: { path: [...above('server'), '^src/bots/(?!bot\\.ts$)', '^src/transports/(?!transport\\.ts$)'] },
    },
    {
      name: 'server-below-entry',
      severity: 'error',
      comment: 'server/ is composed by app.ts; it never reaches up into the entry points or the side products.',
      from: { path: '^src/server/' },
      to: { path: [ENTRY, SIDE] },
    },
    {
      name: 'emulator-stands-alone',
      severity: 'error',
      comment: 'The emulator is a separate product: it may use audio/ and the logger, nothing else of the connector.',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: ['^src/emulator/', '^src/audio/', '^src/logger\\.ts$'] },
    },
    {
      name: 'phones-speak-the-wire',
      severity: 'error',
      comment: 'The simulated callers use audio/ and the platforms\u2019 pure protocol files, never the connector behind them.',
      from: { path: '^src/phones/' },
      to: { path: '^src/', pathNot: ['^src/phones/', '^src/audio/', '^src/transports/[^/]+/(protocol|signature)\\.ts$'] },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/wasm-modules\\.d\\.ts$' },
  },
};
