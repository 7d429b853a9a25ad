#!/usr/bin/env bash
# The Docker image's contents without Docker (no engine runs in CI): the compiled dist/,
# `npm ci --omit=dev`, public/ and example_ncco.json in a fresh folder, as the Dockerfile's
# runtime stage lays them out. Checks that no TypeScript tooling is installed, then starts
# `node dist/main.js` with the embedded emulator and places one browser-platform call through
# dist/ code only (scripts/smoke-call.mjs). Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$out"' EXIT
cp -r dist public package.json package-lock.json example_ncco.json "$out"/
(cd "$out" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null 2>&1)
for tool in typescript tsx esbuild vitest @biomejs playwright-core; do
  if [ -e "$out/node_modules/$tool" ]; then echo "smoke-production: $tool is installed by npm ci --omit=dev" >&2; exit 1; fi
done
(cd "$out" && NODE_ENV=production EMBEDDED_EMULATOR=true PORT=0 HOST=127.0.0.1 LOG_LEVEL=info node dist/main.js >"$out/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do
  port=$(grep -o '"port":[0-9]*' "$out/server.log" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { cat "$out/server.log" >&2; echo "smoke-production: the server did not start" >&2; exit 1; }
node scripts/smoke-call.mjs "$out" "$port"
echo "smoke-production: ok (dist/ on production dependencies only: /phone served, a browser-platform call answered by the embedded emulator)"
