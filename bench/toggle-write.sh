# Sourced after bench/server-env.sh by the bench scripts that write to the register and watch the
# network page: `write` toggles " (bench)" on an organisation's name through the API (PATCH, with its
# version), or with WRITE=contact on a person's title. An odd number of writes leaves the suffix.
# With WRITE=participant it toggles an organisation's attendance at a done activity between attended
# and no-show (a participation recorded or taken back: co-participation links change). An odd number
# of writes leaves it a no-show.
if [ "${WRITE:-organisation}" = participant ]; then
  read -r activity participant < <(psql "$DATABASE_URL" -AtF ' ' -c "
    select ap.activity_id, ap.id from activity_participants ap join activities a on a.id = ap.activity_id
    where a.deleted_at is null and a.status = 'done' and ap.organisation_id is not null and ap.attendance in ('attended', 'no_show')
      and (select count(*) from activity_participants o where o.activity_id = a.id and o.organisation_id is not null) > 2
    order by ap.id limit 1")
  write() {
    local o v attendance
    o=$(curl -sf -H "authorization: Bearer $API" "$URL/api/v1/activities/$activity")
    v=$(node -e 'console.log(JSON.parse(process.argv[1]).version)' "$o")
    attendance=$(node -e 'const a = JSON.parse(process.argv[1]).participants.find((p) => p.id === process.argv[2]).attendance; console.log(a === "attended" ? "no_show" : "attended")' "$o" "$participant")
    curl -sf -o /dev/null -X POST -H "authorization: Bearer $API" -H 'content-type: application/json' \
      -d "{\"version\":$v,\"set_attendance\":{\"ids\":[\"$participant\"],\"attendance\":\"$attendance\"}}" "$URL/api/v1/activities/$activity/participants"
  }
  return 0
elif [ "${WRITE:-organisation}" = contact ]; then
  path=contacts field=title
  id=$(psql "$DATABASE_URL" -Atc "select id from contacts where deleted_at is null and title is not null order by id limit 1")
else
  path=organisations field=name
  id=$(psql "$DATABASE_URL" -Atc "select id from organisations where deleted_at is null order by id limit 1")
fi
write() {
  local o v value
  o=$(curl -sf -H "authorization: Bearer $API" "$URL/api/v1/$path/$id")
  v=$(node -e 'console.log(JSON.parse(process.argv[1]).version)' "$o")
  value=$(node -e 'const n = JSON.parse(process.argv[1])[process.argv[2]]; console.log(n.endsWith(" (bench)") ? n.slice(0, -8) : n + " (bench)")' "$o" "$field")
  curl -sf -o /dev/null -X PATCH -H "authorization: Bearer $API" -H 'content-type: application/json' \
    -d "{\"version\":$v,\"$field\":$(node -e 'console.log(JSON.stringify(process.argv[1]))' "$value")}" "$URL/api/v1/$path/$id"
}
