/**
 * Import rules of the connector, checked by `npm run lint` (docs/architecture.md, "Layers").
 * dependency-cruiser resolves every import (type-only ones included) to a file, so the rules
 * below are written as folder -> folder. TypeScript 7 has no JavaScript API, so swc parses.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make load order matter.', from: {}, to: { circular: true } },
    {
      name: 'emulator-stands-alone',
      severity: 'error',
      comment: 'The emulator is a separate product: it may use audio/ helpers and the logger, nothing else of the connector.',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: ['^src/emulator/', '^src/audio/', '^src/logger\\.ts$'] },
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
