# shellcheck shell=bash
# What scripts/prod-check.sh and scripts/fresh-clone-check.sh share: a work directory removed at
# exit (with the server killed if it is still running), PASS/FAIL lines (a failure shows the
# server's last output), a free port, GET with the status printed, waiting for /healthz and
# stopping with SIGTERM. Source it, then call check_init NAME.

# check_init NAME: sets WORK (a new temporary directory), LOG and SERVER_PID, and the exit trap.
check_init() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1-XXXXXX")
  LOG="$WORK/server.log"
  SERVER_PID=
  trap check_cleanup EXIT
}

check_cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # A server started with setsid leads its own process group: kill the group, else the process.
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}

pass() { printf 'PASS: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  if [ -s "$LOG" ]; then printf -- '--- server output ---\n' >&2; tail -n 40 "$LOG" >&2; fi
  exit 1
}

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'
}

# http_get URL: prints "<status> <location>" (redirects are not followed; 000 when nothing answers).
http_get() {
  node -e '
    fetch(process.argv[1], { redirect: "manual", signal: AbortSignal.timeout(5000) })
      .then((r) => console.log(r.status, r.headers.get("location") ?? ""))
      .catch(() => console.log("000"))' "$1"
}

# wait_healthy PORT SECONDS: until GET /healthz answers 200; fails if SERVER_PID exits first.
wait_healthy() {
  local status=000 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited during start"
    status=$(http_get "http://127.0.0.1:$1/healthz" | cut -d' ' -f1)
    [ "$status" = 200 ] && return 0
    sleep 0.5
  done
  fail "GET /healthz did not answer 200 within $2 s (last: $status)"
}

# stop_with_sigterm PID: SIGTERM to PID (the server process), then SERVER_PID must end within
# 15 s with exit code 0.
stop_with_sigterm() {
  kill -TERM "$1"
  local deadline=$((SECONDS + 15)) code=0
  while kill -0 "$SERVER_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -0 "$SERVER_PID" 2>/dev/null && fail "the server was still running 15 s after SIGTERM"
  wait "$SERVER_PID" || code=$?
  SERVER_PID=
  [ "$code" = 0 ] || fail "the server exited with code $code after SIGTERM"
  pass "stopped with exit code 0"
}
