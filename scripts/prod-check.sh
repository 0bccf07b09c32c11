#!/usr/bin/env bash
# Proves the Docker image's runtime path without a Docker engine: build the project the way the
# image's build stage does, install only production dependencies the way its runtime stage does,
# start `node dist/src/server.js` exactly like its CMD, check it serves, and check it stops with
# exit code 0 on SIGTERM. Keep the steps in line with the Dockerfile.
#
# Usage: bash scripts/prod-check.sh   (from anywhere; uses the node and npm on PATH)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/check-lib.sh
source "$ROOT/scripts/check-lib.sh"
check_init navet-prod-check

step() { printf '\n== prod-check: %s\n' "$*"; }

echo "node $(node --version), npm $(npm --version 2>/dev/null)"

step "copy the working tree (tracked and untracked, not ignored files)"
mkdir -p "$WORK/build" "$WORK/runtime" "$WORK/data"
(
  cd "$ROOT"
  git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
    [ -f "$f" ] && printf '%s\0' "$f"
  done | xargs -0 cp --parents -t "$WORK/build"
)
pass "copied $(find "$WORK/build" -type f | wc -l) files"

step "build stage: npm ci && npm run build"
(cd "$WORK/build" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci (build stage)"
(cd "$WORK/build" && npm run build) || fail "npm run build: tsc -p tsconfig.build.json did not succeed"
[ -f "$WORK/build/dist/src/server.js" ] || fail "the build did not emit dist/src/server.js"
if grep -rEl "from '\.{1,2}/[^']*\.ts'" "$WORK/build/dist" --include='*.js' >/dev/null; then
  fail "the build left imports of .ts files in dist/ (rewriteRelativeImportExtensions?)"
fi
pass "dist/ built, relative imports rewritten to .js"

step "runtime stage: NODE_ENV=production npm ci --omit=dev, with dist/ views/ static/ only"
cp "$WORK/build/package.json" "$WORK/build/package-lock.json" "$WORK/runtime/"
cp -r "$WORK/build/dist" "$WORK/build/views" "$WORK/build/static" "$WORK/runtime/"
(cd "$WORK/runtime" && NODE_ENV=production npm ci --omit=dev --no-audit --no-fund --loglevel=error) || fail "npm ci --omit=dev"
for dev in typescript vitest autocannon playwright-core pino-pretty node; do
  [ ! -e "$WORK/runtime/node_modules/$dev" ] || fail "dev dependency $dev was installed in the runtime stage"
done
# The image's Node is its base image's: the `node` devDependency (Node 24 for npm scripts on an
# older machine) must not bring a second one.
[ ! -e "$WORK/runtime/node_modules/.bin/node" ] || fail "node_modules/.bin/node in the runtime stage: Node carried twice"
pass "production dependencies only ($(ls "$WORK/runtime/node_modules" | wc -l) top-level entries)"

step "start node dist/src/server.js (the image's CMD)"
PORT=$(free_port)
(
  cd "$WORK/runtime"
  exec env -u DATABASE_URL -u ADMIN_EMAIL -u ADMIN_PASSWORD \
    NODE_ENV=production HOST=127.0.0.1 PORT="$PORT" DATA_DIR="$WORK/data" LOG_LEVEL=info \
    node dist/src/server.js
) >"$LOG" 2>&1 &
SERVER_PID=$!

# A guard, not a timing: this check runs beside two browser test files in CI (.ci/run), where a
# start on the loaded machine took over 60 s.
wait_healthy "$PORT" 240
pass "GET /healthz -> 200"

read -r status location <<<"$(http_get "http://127.0.0.1:$PORT/login")"
[ "$status" = 303 ] && [[ "$location" == */setup ]] || fail "GET /login -> $status $location (expected 303 to /setup)"
pass "GET /login -> 303 $location"

read -r status _ <<<"$(http_get "http://127.0.0.1:$PORT/setup")"
[ "$status" = 200 ] || fail "GET /setup -> $status (expected 200: the page renders from views/)"
pass "GET /setup -> 200 (templates found)"

read -r status _ <<<"$(http_get "http://127.0.0.1:$PORT/static/vendor/htmx.min.js")"
[ "$status" = 200 ] || fail "GET /static/vendor/htmx.min.js -> $status (expected 200)"
pass "GET /static/vendor/htmx.min.js -> 200"

step "SIGTERM: exit code 0 within 15 s"
stop_with_sigterm "$SERVER_PID"

step "backup from the runtime image: node dist/scripts/backup.js"
(cd "$WORK/runtime" && env -u DATABASE_URL DATA_DIR="$WORK/data" node dist/scripts/backup.js "$WORK/backup.jsonl.gz") >>"$LOG" 2>&1 ||
  fail "node dist/scripts/backup.js failed"
pass "backup written ($(stat -c %s "$WORK/backup.jsonl.gz") bytes)"

printf '\nPASS: the production build runs without dev dependencies\n'
