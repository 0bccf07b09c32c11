#!/bin/bash
# The network page after a write (issue 15; bench/README.md, "The network page after a write"):
# N times, a new organisation linked to an existing one (through the API), then the whole
# register's page (/network) and the time until its layout is stored, with the server's CPU time
# (all its threads, from /proc) for each part. The server must already run at URL on DATABASE_URL:
#
#   DATABASE_URL=postgres://…/navet_perf200 URL=http://127.0.0.1:3301 bench/layout-after-write.sh [N]
set -euo pipefail
source "$(dirname "$0")/server-env.sh"
q() { psql "$DATABASE_URL" -Atc "$1"; }
post() { curl -sf -H "authorization: Bearer $API" -H 'content-type: application/json' -d "$2" "$URL$1"; }
for i in $(seq 1 "${1:-3}"); do
  near=$(q "select id from organisations where deleted_at is null order by id limit 1 offset $((i * 7))")
  id=$(post /api/v1/organisations "{\"name\":\"Layoutprov $i $(date +%s)\",\"kind\":\"ngo\"}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')
  post /api/v1/organisation-relationships "{\"from_organisation_id\":\"$near\",\"to_organisation_id\":\"$id\",\"type\":\"partner_of\"}" > /dev/null
  v=$(q "select sum(n) from data_version")
  t0=$(date +%s.%N); c0=$(cpu)
  curl -sf -H "cookie: session=$COOKIE" "$URL/network" -o /tmp/layout-after-write.html
  t1=$(date +%s.%N); c1=$(cpu)
  layout=$(grep -o '"layout":"[a-z_]*"' /tmp/layout-after-write.html | head -1)
  until [ "$(q "select count(*) from network_layout_cache where data_version = '$v'")" = 1 ]; do sleep 0.2; done
  t2=$(date +%s.%N); c2=$(cpu)
  printf 'version %s: the page %.1f s (%s, server CPU %d ms); its layout stored %.1f s later (server CPU %d ms)\n' "$v" "$(echo "$t1 - $t0" | bc)" "$layout" $((c1 - c0)) "$(echo "$t2 - $t1" | bc)" $((c2 - c1))
done
