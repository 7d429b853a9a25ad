/**
 * The import rules of the connector, checked by `npm run lint`; docs/architecture.md ("Layers")
 * explains them. Layers, bottom to top:
 *   1 audio/                                     sound and time; imports nothing else of ours
 *   2 errors.ts call/ config.ts logger.ts metrics.ts   the call vocabulary
 *   3 transports/  bots/                          side by side; neither imports the other
 *   4 session/                                    sees bots and transports through their interfaces only
 *   5 server/, then chat/ (the chat channel, built on server/auth.ts); events/ (the events webhook)
 *     and handoff/ (platform hand-offs), composed by app.ts
 *   6 app.ts main.ts serve.ts cluster/ demo.ts process-faults.ts chat/chat-demo.ts   entry points
 *     (cluster/ is the WORKERS>1 process model: the primary and the workers' link to it)
 * Beside them: emulator/ (a product of its own), fakes/ (a fake Twilio REST server) and
 * phones/ (the simulated-caller test kit).
 * One exception, on purpose: config.ts reads the chat settings (chat/chat-config.ts and the
 * leaf module it uses, chat/secret.ts), so one Config holds every key.
 * dependency-cruiser resolves every import, type-only ones included, to a file, so the rules
 * are written folder to folder. TypeScript 7 has no JavaScript API, so swc parses.
 */
const ENTRY = '^src/(app|main|serve|demo|process-faults|chat/chat-demo|cluster/[^/]+)\\.ts$';
const SIDE = '^src/(emulator|fakes|phones)/';
const CHAT_SETTINGS = '^src/chat/(chat-config|secret)\\.ts$';
const above = (...layers) => [ENTRY, SIDE, ...layers.map((l) => `^src/${l}/`)];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter.',
      // fake-control.ts imports only a type from fake-twilio.ts (erased at build time); swc does not mark type-only imports.
      from: { pathNot: '^src/fakes/twilio/fake-control\\.ts$' },
      to: { circular: true, pathNot: '^src/fakes/twilio/fake-control\\.ts$' },
    },
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
      from: { path: ['^src/call/', '^src/(errors|config|logger|metrics)\\.ts$', CHAT_SETTINGS] },
      to: { path: above('transports', 'bots', 'session', 'server', 'chat'), pathNot: CHAT_SETTINGS },
    },
    {
      name: 'transports-below-sessions',
      severity: 'error',
      comment: 'A transport translates wire messages; it never calls a bot or a session.',
      from: { path: '^src/transports/' },
      to: { path: above('bots', 'session', 'server', 'chat') },
    },
    {
      name: 'bots-below-sessions',
      severity: 'error',
      comment: 'A bot speaks to its back-end; it never sees a transport or a session.',
      from: { path: '^src/bots/' },
      to: { path: above('transports', 'session', 'server', 'chat') },
    },
    {
      name: 'sessions-see-interfaces',
      severity: 'error',
      comment: 'Sessions know bots and transports through bots/bot.ts and transports/transport.ts only (no SDK, no wire format).',
      from: { path: '^src/session/' },
      to: { path: [...above('server', 'chat'), '^src/bots/(?!bot\\.ts$)', '^src/transports/(?!transport\\.ts$)'] },
    },
    {
      name: 'server-below-entry',
      severity: 'error',
      comment: 'server/ is composed by app.ts; it never reaches up into chat/, the entry points or the side products.',
      from: { path: '^src/server/' },
      to: { path: [ENTRY, SIDE, '^src/chat/'] },
    },
    {
      name: 'events-and-handoff-below-entry',
      severity: 'error',
      comment: 'The events webhook and the platform hand-offs see the call vocabulary only (and the shared Twilio REST transport); app.ts composes them.',
      from: { path: '^src/(events|handoff)/' },
      to: { path: [ENTRY, SIDE, '^src/(server|session|transports|bots)/', '^src/chat/(?!twilio-http-client\\.ts$|secret\\.ts$)'] },
    },
    {
      name: 'server-and-session-do-not-reach-events-or-handoff',
      severity: 'error',
      comment: 'Sessions and connections reach hand-offs and event sinks through the call vocabulary (call/handoff.ts, call/call-events.ts), wired by app.ts.',
      from: { path: '^src/(server|session|transports|bots|call)/' },
      to: { path: '^src/(events|handoff)/' },
    },
    {
      name: 'chat-below-entry',
      severity: 'error',
      comment: 'The chat channel is composed by app.ts; only its demo (an entry point) starts the emulator and the fake.',
      from: { path: '^src/chat/', pathNot: ENTRY },
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
    {
      name: 'fakes-stand-alone',
      severity: 'error',
      comment: 'The fake Twilio shares the chat channel\u2019s operation table and the signature, nothing else.',
      from: { path: '^src/fakes/' },
      to: { path: '^src/', pathNot: ['^src/fakes/', '^src/audio/', '^src/chat/twilio-http-client\\.ts$', '^src/transports/twilio/signature\\.ts$'] },
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
