#!/bin/bash
# The network page under load right after a write (issue 15; bench/README.md, "The whole graph read
# in parts"): R times, a write through the API (bench/toggle-write.sh: an organisation's name, or with
# WRITE=contact a person's title), then autocannon on /network with a browser session at C
# connections for S seconds — the last view while the newest is computed, then the newest. 20 s
# holds the whole computation at 200 000 contacts; 20 s idle before each write. The server must already
# run at URL on DATABASE_URL:
#
#   DATABASE_URL=postgres://…/navet_perf200 URL=http://127.0.0.1:3301 bench/network-load-after-write.sh [C] [S] [R]
set -euo pipefail
source "$(dirname "$0")/server-env.sh"
source "$(dirname "$0")/toggle-write.sh"
C=${1:-10} S=${2:-20} R=${3:-2}
curl -sf -o /dev/null -H "cookie: session=$COOKIE" "$URL/network"
for r in $(seq 1 "$R"); do
  sleep 20
  write
  npx autocannon -c "$C" -d "$S" -t "$S" -j -H "cookie=session=$COOKIE" "$URL/network" 2>/dev/null > /tmp/network-load-after-write.json
  node -e 'const r = require(process.argv[1]); console.log(`write ${process.argv[2]}: ${process.argv[3]} connections, ${process.argv[4]} s: ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, max ${r.latency.max} ms, errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`)' \
    /tmp/network-load-after-write.json "$r" "$C" "$S"
done
# An odd number of writes left the suffix.
[ $(( R % 2 )) = 1 ] && write
exit 0
