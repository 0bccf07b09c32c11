# Sourced after bench/server-env.sh by the bench scripts that write to the register and watch the
# network page: `write` toggles " (bench)" on an organisation's name through the API (PATCH, with its
# version), or with WRITE=contact on a person's title. An odd number of writes leaves the suffix.
# With WRITE=participant it toggles an organisation's attendance at a done activity between attended
# and no-show (a participation recorded or taken back: co-participation links change). An odd number
# of writes leaves it a no-show.
# With WRITE=details it sets a person's phone number to one of two numbers (the other each time).
case "${WRITE:-organisation}" in
  participant)
    read -r id arg < <(psql "$DATABASE_URL" -AtF ' ' -c "
      select ap.activity_id, ap.id from activity_participants ap join activities a on a.id = ap.activity_id
      where a.deleted_at is null and a.status = 'done' and ap.organisation_id is not null and ap.attendance in ('attended', 'no_show')
        and (select count(*) from activity_participants o where o.activity_id = a.id and o.organisation_id is not null) > 2
      order by ap.id limit 1")
    read=activities/$id method=POST send=activities/$id/participants
    # The body from the record read (argv[1]) and the participant's id (argv[2]).
    body='const o = JSON.parse(process.argv[1]); const id = process.argv[2]
      const was = o.participants.find((p) => p.id === id).attendance
      console.log(JSON.stringify({ version: o.version, set_attendance: { ids: [id], attendance: was === "attended" ? "no_show" : "attended" } }))' ;;
  details)
    # A person's phone number corrected, between two numbers: nothing the network or the counts read.
    id=$(psql "$DATABASE_URL" -Atc "select id from contacts where deleted_at is null and not restricted and not protected_identity order by id limit 1")
    read=contacts/$id method=PATCH send=contacts/$id arg=phone
    body='const o = JSON.parse(process.argv[1]); const f = process.argv[2]
      console.log(JSON.stringify({ version: o.version, [f]: o[f] === "+46 8 123 45 67" ? "+46 8 765 43 21" : "+46 8 123 45 67" }))' ;;
  contact | organisation)
    if [ "${WRITE:-organisation}" = contact ]; then table=contacts arg=title; else table=organisations arg=name; fi
    id=$(psql "$DATABASE_URL" -Atc "select id from $table where deleted_at is null and $arg is not null order by id limit 1")
    read=$table/$id method=PATCH send=$table/$id
    # The body from the record read (argv[1]) and the field toggled (argv[2]).
    body='const o = JSON.parse(process.argv[1]); const f = process.argv[2]; const n = o[f]
      console.log(JSON.stringify({ version: o.version, [f]: n.endsWith(" (bench)") ? n.slice(0, -8) : n + " (bench)" }))' ;;
  *) echo "WRITE: organisation, contact, details or participant" >&2; return 1 ;;
esac
write() {
  local o
  o=$(curl -sf -H "authorization: Bearer $API" "$URL/api/v1/$read")
  curl -sf -o /dev/null -X "$method" -H "authorization: Bearer $API" -H 'content-type: application/json' \
    -d "$(node -e "$body" "$o" "$arg")" "$URL/api/v1/$send"
}
