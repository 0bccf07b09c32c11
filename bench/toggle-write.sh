# Sourced after bench/server-env.sh by the bench scripts that write to the register and watch the
# network page: `write` toggles " (bench)" on an organisation's name through the API (PATCH, with its
# version), or with WRITE=contact on a person's title. An odd number of writes leaves the suffix.
if [ "${WRITE:-organisation}" = contact ]; then
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
