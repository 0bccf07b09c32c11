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
WORK=$(mktemp -d "${TMPDIR:-/tmp}/navet-fresh-clone-XXXXXX")
SERVER_PID=
LOG="$WORK/server.log"

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -KILL -- "-$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { printf 'PASS: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  if [ -s "$LOG" ]; then printf -- '--- server output ---\n' >&2; tail -n 40 "$LOG" >&2; fi
  exit 1
}

echo "machine's node: $(command -v node) $(node --version), npm $(npm --version)"

git clone -q "$ROOT" "$WORK/clone" || fail "git clone"
cd "$WORK/clone"

npm install --no-audit --no-fund --loglevel=error || fail "npm install"
pass "npm install under $(node --version)"

scripts_node=$(npm exec --offline -c 'node --version')
case "$scripts_node" in v24.*) ;; *) fail "npm scripts run on node $scripts_node, not 24" ;; esac
pass "npm scripts run on node $scripts_node"

PORT=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
# Its own process group (setsid), so that the server it starts can be found and stopped alone.
setsid env -u DATABASE_URL -u ADMIN_EMAIL -u ADMIN_PASSWORD HOST=127.0.0.1 PORT="$PORT" DATA_DIR="$WORK/data" \
  npm start >"$LOG" 2>&1 &
SERVER_PID=$!

status=000
deadline=$((SECONDS + 90))
while [ $SECONDS -lt $deadline ]; do
  kill -0 "$SERVER_PID" 2>/dev/null || fail "npm start exited during start"
  status=$(node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })
      .then((r) => console.log(r.status), () => console.log("000"))' "http://127.0.0.1:$PORT/healthz")
  [ "$status" = 200 ] && break
  sleep 0.5
done
[ "$status" = 200 ] || fail "GET /healthz did not answer 200 within 90 s (last: $status)"
pass "npm start serves: GET /healthz -> 200"

# SIGTERM to the server itself, as a service manager would (npm and the shell it runs the script
# in pass on its exit code; npm signalled itself would answer 143 whatever the server did).
server=$(pgrep -g "$SERVER_PID" -f '^node .*src/server\.ts' || true)
[ -n "$server" ] || fail "no server process under npm start"
kill -TERM $server
deadline=$((SECONDS + 15))
while kill -0 "$SERVER_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "still running 15 s after SIGTERM"
code=0
wait "$SERVER_PID" || code=$?
SERVER_PID=
[ "$code" = 0 ] || fail "npm start exited with code $code after SIGTERM"
pass "stopped with exit code 0"

npm test -- tests/health >"$WORK/test.log" 2>&1 || { tail -n 30 "$WORK/test.log" >&2; fail "npm test -- tests/health"; }
pass "npm test runs (one file of the suite: tests/health)"

printf '\nPASS: the two commands of the README work on a fresh clone under node %s\n' "$(node --version)"
