#!/bin/bash
# A/B of two commits under concurrency, both servers warm, side by side, alternating.
#
#   bench/ab-servers.sh BASE pg|pglite CONNECTIONS SECONDS ROUNDS PATH...
#
# A is this checkout, B is commit BASE (checked out into a temporary git worktree, sharing this
# checkout's node_modules). PostgreSQL: both on $AB_DATABASE_URL (default navet_perf50), or B on
# $AB_DATABASE_URL_B when A brings a migration B does not know (B refuses to start on it): a copy
# made after the tokens, given in $AB_TOKENS (bench/tokens.ts's output), so that both know them. A copy
# made with `createdb -T` does not carry the database's own settings (`alter database … set
# random_page_cost`): set them on it too, or the two are planned differently. PGlite:
# A on $AB_DATA_DIR (default /tmp/navet-big), B on a copy of it (or of $AB_DATA_DIR_B). A migrates
# $AB_DATA_DIR in place: when it brings a migration, keep the base's data apart for $AB_DATA_DIR_B. Tokens for the bench user come
# from bench/tokens.ts. Each server is warmed with $AB_WARM seconds (default 10) of load per path,
# then each path is measured for SECONDS at CONNECTIONS, A B in odd rounds and B A in even ones.
# One line per figure on stdout. Why: on a 2-core machine whose speed drifts, a fresh server after
# a short warm-up (PGlite compiles its WebAssembly for 10–20 s) measured the drift, not the change
# (bench/README.md, *A list page as one value on PGlite*).
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1 engine=$2 conn=$3 dur=$4 rounds=$5; shift 5
url=${AB_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/navet_perf50}
dir=${AB_DATA_DIR:-/tmp/navet-big}
work=$(mktemp -d)
git worktree add -q --detach "$work/b" "$base"
ln -s "$PWD/node_modules" "$work/b/node_modules"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; git worktree remove --force "$work/b"; rm -rf "$work"; }
trap cleanup EXIT
node_run() { node --experimental-strip-types --disable-warning=ExperimentalWarning "$@"; }
if [ "$engine" = pg ]; then
  envA=(DATABASE_URL="$url"); envB=(DATABASE_URL="${AB_DATABASE_URL_B:-$url}")
  tokens=${AB_TOKENS:-$(DATABASE_URL="$url" node_run bench/tokens.ts)}
else
  # The sessions first, so that the copy holds them too ($AB_DATA_DIR_B, as $AB_DATABASE_URL_B above:
  # a copy made after the tokens given in $AB_TOKENS).
  tokens=${AB_TOKENS:-$(node_run bench/tokens.ts --data-dir "$dir")}
  cp -a "${AB_DATA_DIR_B:-$dir}" "$work/data-b"; rm -f "$work/data-b/natverket.lock"
  envA=(DATA_DIR="$dir"); envB=(DATA_DIR="$work/data-b")
fi
api=$(node -e "console.log(JSON.parse(process.argv[1]).api)" "$tokens")
browser=$(node -e "console.log(JSON.parse(process.argv[1]).browser)" "$tokens")
portA=$((20000 + RANDOM % 5000)); portB=$((25000 + RANDOM % 5000))
# exec: the pid kept is the server's, not a subshell's (killing a subshell left its server running).
(exec env "${envA[@]}" HOST=127.0.0.1 PORT=$portA LOG_LEVEL=warn node --experimental-strip-types --disable-warning=ExperimentalWarning src/server.ts > "$work/a.log" 2>&1) & pids+=($!)
(cd "$work/b" && exec env "${envB[@]}" HOST=127.0.0.1 PORT=$portB LOG_LEVEL=warn node --experimental-strip-types --disable-warning=ExperimentalWarning src/server.ts > "$work/b.log" 2>&1) & pids+=($!)
until curl -sf "http://127.0.0.1:$portA/healthz" > /dev/null && curl -sf "http://127.0.0.1:$portB/healthz" > /dev/null; do sleep 0.3; done
ac="node $(dirname "$(readlink -f node_modules/.bin/autocannon)")/autocannon.js"
header() { if [[ $1 == /api* ]]; then echo "authorization: Bearer $api"; else echo "cookie: session=$browser"; fi; }
for port in $portA $portB; do for p in "$@"; do $ac -c "$conn" -d "${AB_WARM:-10}" -H "$(header "$p")" "http://127.0.0.1:$port$p" > /dev/null 2>&1; done; done
for r in $(seq "$rounds"); do
  for p in "$@"; do
    if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
    for side in $order; do
      port=$portA; [ "$side" = B ] && port=$portB
      $ac -j -c "$conn" -d "$dur" -H "$(header "$p")" "http://127.0.0.1:$port$p" 2>/dev/null | node -e "
        let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => {
          const r = JSON.parse(s)
          console.log(process.argv[1], process.argv[2], 'req/s', Math.round(r.requests.average), 'p50', r.latency.p50, 'p97.5', r.latency.p97_5, 'non-2xx', r.non2xx, 'load', require('node:os').loadavg()[0].toFixed(2))
        })" "$side" "$p"
    done
  done
done
