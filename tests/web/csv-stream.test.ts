import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditList } from '../../src/audit/audit.list.ts'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { sortOf } from '../../src/web/list.ts'
import { asExport } from '../../src/register/audience.ts'
import { CSV_CHUNK_ROWS, csvCell } from '../../src/web/csv.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

// CSV exports stream (issue 15): the list is read a keyset chunk at a time and each chunk is
// written to the response as it comes, so memory stays flat in the row count. The file must be
// the one the export made before, when it read every page into memory first.
const N = 2 * CSV_CHUNK_ROWS + 300
let t: TestApp
beforeAll(async () => {
  t = await testApp()
  // Names out of insertion order, pairs sharing a name (the id breaks the tie), cells that need
  // quoting or neutralising, and people an export must leave out.
  await sql`insert into contacts (first_name, last_name, title, tags, categories, sort_name, search_text, protected_identity, restricted)
    select 'Förnamn' || (i % 7), 'Ström ' || lpad(((i * 7919) % ${N / 2})::text, 5, '0'),
      case i % 5 when 0 then '=SUM(1;2)' when 1 then 'Chef, "avdelning"' when 2 then 'rad' || chr(10) || 'två' end,
      array['strom'], '{official}', lower('Ström ' || lpad(((i * 7919) % ${N / 2})::text, 5, '0') || ' Förnamn' || (i % 7)), 'strom',
      i % 97 = 0, i % 89 = 0
    from generate_series(1, ${N}) i`.execute(t.db)
  // Where people work: now, formerly, at two places (the `organisations` column lists the
  // current ones, the latest start first), at a deleted organisation; counties and updates to
  // sort by, and a few people a search finds.
  await sql`insert into organisations (name, kind, sort_name, search_text, deleted_at)
    values ('Alfa kommun', 'municipality', 'alfa kommun', 'alfa kommun', null), ('Beta, förening', 'ngo', 'beta, forening', 'beta forening', null),
      ('Gamma AB', 'business', 'gamma ab', 'gamma ab', now())`.execute(t.db)
  await sql`with c as (select id, row_number() over (order by id) as i from contacts where 'strom' = any(tags)), o as (select id, name from organisations)
    insert into affiliations (contact_id, organisation_id, start_date, end_date)
    select c.id, o.id, case when o.name = 'Alfa kommun' then date '2020-01-01' when c.i % 4 = 0 then date '2019-06-01' else date '2022-06-01' end,
      case when o.name = 'Beta, förening' and c.i % 4 = 0 then date '2021-01-01' end
    from c join o on (o.name = 'Alfa kommun' and c.i % 2 = 0) or (o.name = 'Beta, förening' and c.i % 3 = 0) or (o.name = 'Gamma AB' and c.i % 11 = 0)`.execute(t.db)
  await sql`update contacts set county = (array['Skåne län', 'Skåne län', 'Skåne län', 'Uppsala län', null])[1 + (abs(hashtext(id::text)) % 5)],
    updated_at = now() - make_interval(mins => abs(hashtext(id::text)) % 500),
    first_name = case when abs(hashtext(id::text)) % 50 = 0 then 'Sökbar' else first_name end,
    search_text = case when abs(hashtext(id::text)) % 50 = 0 then search_text || ' sokbar' else search_text end`.execute(t.db)
})
afterAll(() => t.close())

const query = (params: Record<string, string> = {}) => {
  const q = contactList.schema.parse({ tag: 'strom', ...params })
  return { ...q, sort: sortOf(contactList, q) as 'name' }
}

/** The export as it was made before streaming: every page read first (every column, every related row), then the whole file written at once — with any line break quoted, as the files are now (src/web/csv.ts). */
async function exportedTheOldWay(params: Record<string, string> = {}): Promise<string> {
  const rows = []
  let cursor: string | undefined
  do {
    const page = await asExport(() => contactList.page(t.db, { ...query(params), cursor, limit: 1000 }, { count: false, audience: 'export' }))
    rows.push(...page.data)
    cursor = page.next_cursor ?? undefined
  } while (cursor)
  const columns = [...contactList.csv.columns]
  const records = rows.map(contactList.csv.row!).map((o) => columns.map((k) => o[k]))
  return '\uFEFF' + stringify([columns, ...records].map((r) => r.map(csvCell)), { delimiter: ',', record_delimiter: '\r\n', quoted_match: /[;,\r\n]/ })
}

describe('streamed CSV export', () => {
  it('writes an export of more rows than a chunk chunk by chunk: complete, in order, the same file as before, audited with its rows', async () => {
    const editor = await t.apiToken('editor')
    const res = await t.request('/api/v1/contacts?format=csv&tag=strom', { headers: editor.headers })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    // The body arrives in pieces: the header, then one piece per chunk read — not one string.
    const reader = res.body!.getReader()
    const pieces: Uint8Array[] = []
    for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value)
    const hidden = (await sql<{ n: number }>`select count(*)::int as n from contacts where 'strom' = any(tags) and (protected_identity or restricted)`.execute(t.db)).rows[0]!.n
    expect(hidden).toBeGreaterThan(0)
    const expected = N - hidden
    expect(pieces.length).toBe(1 + Math.ceil(expected / CSV_CHUNK_ROWS))
    const text = Buffer.concat(pieces).toString('utf8')

    expect(text).toBe(await exportedTheOldWay())
    const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(expected)
    const order = (await sql<{ id: string }>`select id from contacts where 'strom' = any(tags) and not protected_identity and not restricted order by sort_name, id`.execute(t.db)).rows
    expect(rows.map((r) => r.id)).toEqual(order.map((r) => r.id))
    expect(rows.find((r) => r.title?.startsWith("'="))?.title).toBe("'=SUM(1;2)")

    const admin = await t.apiToken('admin')
    const audit = await (await t.request(`/api/v1/audit?action=export&user_id=${editor.user.id}`, { headers: admin.headers })).json()
    expect(audit.data[0].changes).toMatchObject({ list: [null, '/contacts'], filters: [null, { tag: 'strom' }], rows: [null, expected] })
  })

  it('writes the same file in every order and direction, a search and a filter, across chunk boundaries: each row once, with its current organisations', async () => {
    // The export reads only the file's columns and the current organisations of a chunk at once
    // (contactList.csv.read); the file must be the one made from the list's full rows.
    const editor = await t.apiToken('editor')
    const cases: Record<string, string>[] = [{ sort: 'name', dir: 'desc' }, { sort: 'county', dir: 'desc' }, { sort: 'updated' }, { q: 'sökbar' }, { county: 'Skåne län' }]
    for (const params of cases) {
      const res = await t.request(`/api/v1/contacts?format=csv&tag=strom&${new URLSearchParams(params)}`, { headers: editor.headers })
      const text = Buffer.from(await res.arrayBuffer()).toString('utf8')
      expect(text, JSON.stringify(params)).toBe(await exportedTheOldWay(params))
      const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
      expect(new Set(rows.map((r) => r.id)).size, JSON.stringify(params)).toBe(rows.length)
      if (!params.q) expect(rows.length).toBeGreaterThan(CSV_CHUNK_ROWS)
    }
    const all = parse((await (await t.request('/api/v1/contacts?format=csv&tag=strom', { headers: editor.headers })).text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    const organisations = new Set(all.map((r) => r.organisations))
    expect(organisations).toContain('Alfa kommun')
    expect(organisations).toContain('Beta, förening, Alfa kommun')
    expect([...organisations].some((o) => o?.includes('Gamma AB'))).toBe(true)
    expect([...organisations].some((o) => o?.startsWith('Beta'))).toBe(true)
  }, 60_000)

  it('reads the list a keyset chunk at a time, each query bounded by the chunk size', async () => {
    const sizes: number[] = []
    const ids: string[] = []
    for await (const chunk of asExport(() => contactList.chunks(t.db, query(), { audience: 'export', size: 500 }))) {
      sizes.push(chunk.length)
      ids.push(...chunk.map((c) => c.id))
    }
    const expected = (await sql<{ id: string }>`select id from contacts where 'strom' = any(tags) and not protected_identity and not restricted order by sort_name, id`.execute(t.db)).rows.map((r) => r.id)
    expect(sizes.every((s) => s <= 500)).toBe(true)
    expect(sizes.length).toBe(Math.ceil(expected.length / 500))
    expect(ids).toEqual(expected)
  })

  it('reads every audit entry once across chunks when one transaction wrote several (one timestamp, microseconds)', async () => {
    // now() is the transaction's start: a bulk change writes many entries with the same `at`,
    // which has microseconds; a cursor holding it to the millisecond skipped the rest of them.
    const at = '2026-01-01 10:00:00.123456+00'
    const made = (await sql<{ id: string }>`insert into audit_log (at, entity_type, entity_id, action, changes)
      select ${at}::timestamptz, 'contact', gen_random_uuid(), 'update', '{}' from generate_series(1, 7) returning id`.execute(t.db)).rows.map((r) => r.id)
    const q = { ...auditList.schema.parse({ from: '2026-01-01', to: '2026-01-01' }), sort: 'at' as const }
    const ids: string[] = []
    for await (const chunk of auditList.chunks(t.db, q, { size: 2 })) ids.push(...chunk.map((r) => r.id))
    expect(ids.toSorted()).toEqual(made.toSorted())
  })

  it('streams the audit log export too, and audits it with its lines', async () => {
    const admin = await t.browser('admin')
    const res = await t.request('/admin/audit?format=csv', { headers: { cookie: admin.cookie } })
    expect(res.status).toBe(200)
    const lines = parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(lines.length).toBeGreaterThan(0)
    const api = await t.apiToken('admin')
    const audit = await (await t.request(`/api/v1/audit?action=export&user_id=${admin.user.id}`, { headers: api.headers })).json()
    expect(audit.data[0].changes).toMatchObject({ list: [null, '/admin/audit'], rows: [null, lines.length] })
  })
})
