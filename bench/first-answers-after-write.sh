#!/bin/bash
# The first answers that are computed anew after a write, against a running server:
#
#   TOKENS="$(node --experimental-strip-types bench/tokens.ts --data-dir DIR)" URL=http://127.0.0.1:3000 \
#   PLAN=<plan id> FOCUS=<organisation id> bench/first-answers-after-write.sh [WRITES]
#
# (TOKENS made before the server starts on an embedded DATA_DIR, which one process opens at a time.)
# After each write (a contact created through the API) it asks once each: a plan's progress, the
# two-step ego network of FOCUS, and the dashboard's figures (/dashboard/charts, which waits for them),
# and prints the seconds each took (curl's time_total). WRITE=details: each write is instead one
# person's phone number corrected (a PATCH of a person made at the start), which the counts do not
# follow (COUNTED in src/db/data-version.ts).
set -euo pipefail
: "${TOKENS:?TOKENS}" "${PLAN:?PLAN}" "${FOCUS:?FOCUS}"
URL=${URL:-http://127.0.0.1:3000}
api=$(node -e 'console.log(JSON.parse(process.argv[1]).api)' "$TOKENS")
browser=$(node -e 'console.log(JSON.parse(process.argv[1]).browser)' "$TOKENS")
took() { curl -sf -o /dev/null -w '%{time_total}' "$@"; }
json() { curl -sf -H "authorization: Bearer $api" -H 'content-type: application/json' "$@"; }
field() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$1" "$2"; }
if [ "${WRITE:-create}" = details ]; then
  person=$(field "$(json -X POST -d '{"first_name":"Testa","last_name":"Detaljsson"}' "$URL/api/v1/contacts")" id)
  # Counted once with the new person in, so that the first correction is timed alone.
  curl -sf -o /dev/null -H "cookie: session=$browser" "$URL/dashboard/charts"
fi
for i in $(seq "${1:-6}"); do
  if [ "${WRITE:-create}" = details ]; then
    version=$(field "$(json "$URL/api/v1/contacts/$person")" version)
    json -o /dev/null -X PATCH -d "{\"version\":$version,\"phone\":\"+46 8 $((100000 + RANDOM % 900000))\"}" "$URL/api/v1/contacts/$person"
  else
    json -o /dev/null -X POST -d "{\"first_name\":\"Testa\",\"last_name\":\"Skrivning $i $RANDOM\"}" "$URL/api/v1/contacts"
  fi
  progress=$(took -H "authorization: Bearer $api" "$URL/api/v1/plans/$PLAN/progress")
  ego=$(took -H "authorization: Bearer $api" "$URL/api/v1/network?focus=$FOCUS&depth=2")
  charts=$(took -H "cookie: session=$browser" "$URL/dashboard/charts")
  echo "write $i: plan progress ${progress}s, ego network ${ego}s, dashboard figures ${charts}s"
  sleep 2
done
