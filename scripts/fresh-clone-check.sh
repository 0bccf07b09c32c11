#!/usr/bin/env bash
# Proves the README's two commands on a fresh clone under the machine's own Node (which may be
# older than the Node 24 the project runs on: the `node` devDependency brings that one, and npm
# scripts put node_modules/.bin first on their PATH). A quick check, not the suite: npm install,
# npm start on the embedded database, GET /healthz, SIGTERM → exit 0; then `npm test` on one file
# (the full suite runs in CI's own steps).
#
# Usage: bash scripts/fresh-clone-check.sh   (clones the committed HEAD of this repository; uses
#        whatever `node` and `npm` come first on PATH — .ci/run calls it with the machine's own)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/check-lib.sh
source "$ROOT/scripts/check-lib.sh"
check_init navet-fresh-clone

echo "machine's node: $(command -v node) $(node --version), npm $(npm --version)"

git clone -q "$ROOT" "$WORK/clone" || fail "git clone"
cd "$WORK/clone"

npm install --no-audit --no-fund --loglevel=error || fail "npm install"
pass "npm install under $(node --version)"

scripts_node=$(npm exec --offline -c 'node --version')
case "$scripts_node" in v24.*) ;; *) fail "npm scripts run on node $scripts_node, not 24" ;; esac
pass "npm scripts run on node $scripts_node"

PORT=$(free_port)
# Its own process group (setsid), so that the server it starts can be found and stopped alone.
setsid env -u DATABASE_URL -u ADMIN_EMAIL -u ADMIN_PASSWORD HOST=127.0.0.1 PORT="$PORT" DATA_DIR="$WORK/data" \
  npm start >"$LOG" 2>&1 &
SERVER_PID=$!

# 240 s: CI runs this beside the browser tests, where the first start (migrating, keeping the
# template) has taken over 60 s on a 2-core machine; the wait is a guard, not a timing.
wait_healthy "$PORT" 240
pass "npm start serves: GET /healthz -> 200"

# SIGTERM to the server itself, as a service manager would (npm and the shell it runs the script
# in pass on its exit code; npm signalled itself would answer 143 whatever the server did).
server=$(pgrep -g "$SERVER_PID" -f '^node .*src/server\.ts' || true)
[ -n "$server" ] || fail "no server process under npm start"
stop_with_sigterm "$server"

# Its timeouts raised for the same reason: this proves the command works; the suite's own
# timeouts hold in CI's own test steps, which run alone.
npm test -- tests/health --testTimeout=180000 --hookTimeout=180000 >"$WORK/test.log" 2>&1 || { tail -n 30 "$WORK/test.log" >&2; fail "npm test -- tests/health"; }
pass "npm test runs (one file of the suite: tests/health)"

printf '\nPASS: the two commands of the README work on a fresh clone under node %s\n' "$(node --version)"
