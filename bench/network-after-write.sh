#!/bin/bash
# The network page's view after a write (issue 15; bench/README.md, "The network page right after a
# write"): N times, a write through the API (an organisation's name toggled; with WRITE=contact a
# person's title, with WRITE=details a person's phone number), then /network asked
# every 3 s as the page does until it has the newest view with the layout's places; the time that
# took and the server's CPU (all its threads, from /proc) from the write until 8 s after. The server
# must already run at URL on DATABASE_URL, its page opened once before (so that there is a last view):
#
#   DATABASE_URL=postgres://…/navet_perf200 URL=http://127.0.0.1:3301 bench/network-after-write.sh [N]
#
# BEFORE_SQL: a statement run in psql before each write, e.g. a person's phone number corrected
# straight in the table (as an import would), which the network does not read.
set -euo pipefail
source "$(dirname "$0")/server-env.sh"
source "$(dirname "$0")/toggle-write.sh"
curl -sf -o /dev/null -H "cookie: session=$COOKIE" "$URL/network"
for i in $(seq 1 "${1:-3}"); do
  [ -n "${BEFORE_SQL:-}" ] && psql "$DATABASE_URL" -qAtc "$BEFORE_SQL" > /dev/null
  write
  c0=$(cpu); t0=$(date +%s.%N); first=""
  while true; do
    start=$(date +%s.%N)
    curl -sf -H "cookie: session=$COOKIE" "$URL/network" -o /tmp/network-after-write.html
    [ -z "$first" ] && first=$(echo "$(date +%s.%N) - $start" | bc)
    if ! grep -q 'id="network-refresh"' /tmp/network-after-write.html && grep -q '"layout":"server_cached"' /tmp/network-after-write.html; then break; fi
    sleep 3
  done
  t1=$(date +%s.%N)
  sleep 8
  c1=$(cpu)
  printf 'write %d: the page answered in %.1f s; the newest view with places after %.1f s; server CPU %d ms\n' "$i" "$first" "$(echo "$t1 - $t0" | bc)" $((c1 - c0))
done
# An odd number of writes left the name with " (bench)".
[ $(( ${1:-3} % 2 )) = 1 ] && write
exit 0
