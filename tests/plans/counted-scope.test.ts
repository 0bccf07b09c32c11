import { sql, type CompiledQuery, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computations, COUNTED, dataVersion, NAMED, tableVersions } from '../../src/db/data-version.ts'
import type { Database } from '../../src/db/schema.ts'
import { networkQuery } from '../../src/network/network.schema.ts'
import { computedViews, networkView } from '../../src/network/view.ts'
import { planProgress, progressCounts } from '../../src/plans/plan-progress.ts'
import { dashboardCharts } from '../../src/reports/dashboard-charts.ts'
import { formatDate } from '../../src/web/format.ts'
import { translator } from '../../src/web/i18n.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { ENGINE } from '../helpers/engines.ts'
import { capturing, explain, planNodes, type PlanNode } from '../helpers/plans.ts'
import { apiOf, insertActivity } from './helpers.ts'

/**
 * Plan progress counts and the dashboard's figures are kept until a write that can change them
 * (COUNTED in src/db/data-version.ts, migrations/20261207T1400_details_counted_apart.ts): a
 * person's name, e-mail address, phone number or notes, an organisation's website or notes, an
 * activity's title or outcome corrected leaves them as they are; every other change to those
 * records, and any write to the other tables they read, has them counted again. Plan progress and
 * the network graph, which name people, are kept past everything but their names
 * (NAMED, migrations/20261207T1500_names_counted_apart.ts).
 */

// People's names: NAMED follows their changes, COUNTED does not.
const NAMES: Record<string, readonly string[]> = { contacts: ['first_name', 'last_name', 'sort_name'], organisations: [], activities: [] }
// The columns neither follows: every column the migrations do not name.
const DETAILS: Record<string, readonly string[]> = {
  contacts: ['search_text', 'search_vector', 'email', 'phone', 'notes', 'updated_at', 'version'],
  organisations: ['short_name', 'org_number', 'website', 'notes', 'search_text', 'search_vector', 'updated_at', 'version'],
  activities: ['title', 'location', 'online', 'audience_size', 'outcome', 'influence_request', 'influence_evidence', 'sort_name', 'search_text', 'updated_at', 'version'],
}

let t: TestApp
let h: ReturnType<typeof apiOf>
const today = () => formatDate(new Date())
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
})
afterAll(() => t.close())

const counted = () => dataVersion(t.db, COUNTED)
const patch = async (id: string, body: Record<string, unknown>) => {
  const { version } = (await h.get(`/api/v1/contacts/${id}`)) as { version: number }
  const res = await h.api('PATCH', `/api/v1/contacts/${id}`, { version, ...body })
  expect(res.status, await res.clone().text()).toBe(200)
}

describe('the counted version', () => {
  it('stays where a person’s name, e-mail, phone or notes change, and the data version moves', async () => {
    const person = await h.contact('Räknad', 'Namnsson')
    const [before, whole, table] = [await counted(), await dataVersion(t.db), (await tableVersions(t.db)).namedOf('contacts')]
    await patch(person.id, { first_name: 'Räknade', last_name: 'Namnström', email: 'raknade.namnstrom@example.se', phone: '+46 8 123 45 67', notes: 'Ny anteckning' })
    expect(await counted()).toBe(before)
    // What reads names (the network's nodes, lists' counts) still sees the write.
    expect(await dataVersion(t.db)).toBeGreaterThan(whole)
    expect((await tableVersions(t.db)).namedOf('contacts')).toBeGreaterThan(table)
  })

  it.each(Object.entries(DETAILS))('names every column of %s but the details: a column added later fails here until it is said to be one or the other', async (table, details) => {
    const { rows } = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = ${table}`.execute(t.db)
    const { rows: [fn] } = await sql<{ body: string }>`select prosrc as body from pg_proc where proname = ${`bump_${table}_version`}`.execute(t.db)
    // The first comparison is of the counted columns; an `elsif`, where there is one, of the names.
    const [countedPart, namesPart = ''] = fn!.body.split(/\belsif\b/)
    const quoted = (text: string) => new Set(text.match(/"[a-z_]+"/g)?.map((c) => c.slice(1, -1)) ?? [])
    const [counted, names] = [quoted(countedPart!), quoted(namesPart)]
    names.delete('id')
    const columns = rows.map((r) => r.column_name)
    expect(columns.filter((c) => !counted.has(c) && !names.has(c) && !details.includes(c))).toEqual([])
    expect(details.filter((c) => counted.has(c) || names.has(c))).toEqual([])
    expect([...names].sort()).toEqual([...NAMES[table]!].sort())
    expect(NAMES[table]!.filter((c) => counted.has(c))).toEqual([])
    expect(columns.length).toBeGreaterThan(details.length + 10)
  })

  it('stays where an organisation’s website or notes, or an activity’s title or outcome change, and moves where its kind or status does', async () => {
    const org = await h.organisation('Räknade verket', 'authority')
    const activity = await insertActivity(t.db, { title: 'Räknad aktivitet' })
    const before = await counted()
    const res = await h.api('PATCH', `/api/v1/organisations/${org.id}`, { version: org.version, website: 'https://raknade.example.se', notes: 'Ny anteckning' })
    expect(res.status, await res.clone().text()).toBe(200)
    await sql`update activities set title = 'Räknad aktivitet, omdöpt', outcome = 'Ett utfall' where id = ${activity}`.execute(t.db)
    expect(await counted()).toBe(before)
    await sql`update organisations set kind = 'municipality' where id = ${org.id}`.execute(t.db)
    expect(await counted()).toBeGreaterThan(before)
    const moved = await counted()
    await sql`update activities set status = 'cancelled' where id = ${activity}`.execute(t.db)
    expect(await counted()).toBeGreaterThan(moved)
  })

  it.each<[string, Record<string, unknown>]>([
    ['county', { county: 'Dalarnas län' }],
    ['categories', { categories: ['official'] }],
    ['title', { title: 'Integrationshandläggare' }],
    ['tags', { tags: ['ny-tagg'] }],
    ['protected identity', { protected_identity: true }],
  ])('moves where a person’s %s changes', async (_, body) => {
    const person = await h.contact('Räknad', 'Ändrasson')
    const before = await counted()
    await patch(person.id, body)
    expect(await counted()).toBeGreaterThan(before)
  })

  it('moves where a person is added, deleted or restricted, and where one of many updated rows changed a counted column', async () => {
    let before = await counted()
    const person = await h.contact('Räknad', 'Tilläggsson')
    expect(await counted()).toBeGreaterThan(before)
    before = await counted()
    await sql`update contacts set restricted = true where id = ${person.id}`.execute(t.db)
    expect(await counted()).toBeGreaterThan(before)
    // Many rows in one statement, only one of them changed in a counted column.
    const others = await Promise.all([1, 2, 3].map((i) => h.contact('Räknad', `Mångsson ${i}`)))
    const ids = others.map((o) => o.id)
    before = await counted()
    await sql`update contacts set notes = 'samma' where id = any(${ids}::uuid[])`.execute(t.db)
    expect(await counted()).toBe(before)
    await sql`update contacts set notes = 'annan', county = case when id = ${ids[1]} then 'Gotlands län' else county end where id = any(${ids}::uuid[])`.execute(t.db)
    expect(await counted()).toBeGreaterThan(before)
    before = await counted()
    const res = await h.api('DELETE', `/api/v1/contacts/${ids[0]}`)
    expect(res.status).toBeLessThan(300)
    expect(await counted()).toBeGreaterThan(before)
  })
})

describe('the counts and the dashboard’s figures', () => {
  it('are not counted again after a rename, and are after a change that moves them', async () => {
    const person = await h.contact('Räknad', 'Instrumentsson', { categories: ['decision_maker'] })
    const plan = await h.plan({ name: 'Räknat: beslutsfattare', status: 'active', target: { filter: { categories: ['decision_maker'] } } })
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    const figures = async () => {
      const charts = await dashboardCharts(t.db, today(), translator('en'), 'en')
      expect(charts.current).toBe(true)
      return JSON.stringify(charts.plans)
    }
    expect(await figures()).toContain('1 of 1')
    expect(await progressCounts(t.db, [plan.id], today())).toEqual(new Map([[plan.id, { target_count: 1, reached_count: 1 }]]))
    const computed = computations(t.db)
    await patch(person.id, { first_name: 'Omdöpt', email: 'omdopt@example.se' })
    expect(await figures()).toContain('1 of 1')
    expect((await progressCounts(t.db, [plan.id], today())).get(plan.id)).toEqual({ target_count: 1, reached_count: 1 })
    // Nothing counted again: the rename is not a write they follow.
    expect(computations(t.db)).toBe(computed)
    // A second decision maker, not reached: both counted again, and both show it.
    await h.contact('Räknad', 'Andrasson', { categories: ['decision_maker'] })
    expect(await figures()).toContain('1 of 2')
    expect((await progressCounts(t.db, [plan.id], today())).get(plan.id)).toEqual({ target_count: 2, reached_count: 1 })
    expect(computations(t.db)).toBeGreaterThan(computed)
    // The person leaves the category: counted again.
    await patch(person.id, { categories: ['official'] })
    expect(await figures()).toContain('0 of 1')
  })
})

describe('the named version', () => {
  it('moves where a person’s name changes, not where their e-mail, phone or notes do', async () => {
    const person = await h.contact('Namngiven', 'Versionsson')
    const [named, counts] = [await dataVersion(t.db, NAMED), await counted()]
    await patch(person.id, { email: 'namngiven.versionsson@example.se', phone: '+46 8 765 43 21', notes: 'Anteckning' })
    expect(await dataVersion(t.db, NAMED)).toBe(named)
    await patch(person.id, { last_name: 'Versionsdotter' })
    expect(await dataVersion(t.db, NAMED)).toBeGreaterThan(named)
    expect(await counted()).toBe(counts)
  })

  it('keeps plan progress and the network view past a phone number corrected, and reads them again after a rename', async () => {
    const org = await h.organisation('Namngivna verket', 'authority')
    const person = await h.contact('Namngiven', 'Nätverksson', { affiliations: [{ organisation_id: org.id }] })
    const plan = await h.plan({ name: 'Namngivet', target: { contact_ids: [person.id] } })
    const q = networkQuery.parse({ types: 'organisation,contact', layout: 'none' })
    const first = await planProgress(t.db, plan.id, today())
    expect(first.not_reached.map((r) => r.label)).toEqual(['Namngiven Nätverksson'])
    const view = await networkView(t.db, q)
    expect(view.nodes.map((n) => n.label)).toContain('Namngiven Nätverksson')
    const [computed, views] = [computations(t.db), computedViews()]
    await patch(person.id, { phone: '+46 8 123 45 67', email: 'namngiven.natverksson@example.se', notes: 'Ny anteckning' })
    expect(await planProgress(t.db, plan.id, today())).toBe(first)
    expect(await networkView(t.db, q)).toBe(view)
    expect([computations(t.db), computedViews()]).toEqual([computed, views])
    await patch(person.id, { first_name: 'Omdöpta' })
    expect((await planProgress(t.db, plan.id, today())).not_reached.map((r) => r.label)).toEqual(['Omdöpta Nätverksson'])
    const renamed = await networkView(t.db, q)
    expect(renamed.nodes.map((n) => n.label)).toContain('Omdöpta Nätverksson')
    expect(renamed.meta.data_version).not.toBe(view.meta.data_version)
  })
})

describe('the names’ migration', () => {
  it('keeps the stored layouts’ places under the new keys as of an older state, and gives them back on the way down', async () => {
    const names = await import('../../migrations/20261207T1500_names_counted_apart.ts')
    await sql`insert into network_layout_cache (view_key, data_version, positions) values ('fa2:v1|2024-01-01|organisation', '123', '{}')`.execute(t.db)
    await names.up(t.db)
    const row = () => t.db.selectFrom('network_layout_cache').select(['view_key', 'data_version']).where('view_key', 'like', 'fa2:v_|2024-01-01|organisation').execute()
    expect(await row()).toEqual([{ view_key: 'fa2:v2|2024-01-01|organisation', data_version: 'old' }])
    await names.down(t.db)
    expect(await row()).toEqual([{ view_key: 'fa2:v1|2024-01-01|organisation', data_version: 'old' }])
    // A name alone is then a detail again: back up, and it is a name once more.
    const person = await h.contact('Migrerad', 'Namnsson')
    let named = await dataVersion(t.db, NAMED)
    await patch(person.id, { first_name: 'Migrerade' })
    expect(await dataVersion(t.db, NAMED)).toBe(named)
    await names.up(t.db)
    named = await dataVersion(t.db, NAMED)
    await patch(person.id, { first_name: 'Migrerad' })
    expect(await dataVersion(t.db, NAMED)).toBeGreaterThan(named)
  })
})

/**
 * What is cached under a scope reads none of the columns it does not follow: every statement the
 * counts, the dashboard, plan progress and the network send, for plans of every kind of target (a
 * segment of every filter too), explained with each column it reads named (EXPLAIN VERBOSE).
 */
describe.runIf(ENGINE === 'postgres')('what is read under the counted and the named version', () => {
  // Each with caches of its own: the dashboard counted in one transaction, then in turns; the named reads.
  const logged: Kysely<Database>[] = []
  const captured: CompiledQuery[] = []
  beforeAll(() => {
    for (let i = 0; i < 3; i++) logged.push(capturing(t.url!, captured))
  })
  afterAll(() => Promise.all(logged.map((db) => db.destroy())))

  /** Explains each statement that reads one of the three tables; none may read `unread(table)`; how many scans of each were looked at. */
  async function expectUnread(statements: CompiledQuery[], unread: (table: string) => readonly string[]): Promise<Map<string, number>> {
    const { rows: widths } = await sql<{ table: string; n: number }>`select table_name as table, count(*)::int as n from information_schema.columns
      where table_name = any(${Object.keys(DETAILS)}::text[]) group by 1`.execute(t.db)
    const columns = new Map(widths.map((w) => [w.table, w.n]))
    const checked = new Map<string, number>()
    for (const statement of statements.filter((q) => /\b(contacts|organisations|activities)\b/.test(q.sql))) {
      const plan = await explain(t.db, statement, 'verbose')
      // A scan under a join may return every column of its row (or an index-only scan every
      // column of its index), used or not, for the join to take what it needs: its output is left
      // out then, and a column used is named again above it (in a condition or the join's output).
      // A scan at the top of a query, a subquery or a CTE returns exactly what is read.
      const text = JSON.stringify(plan, function (this: PlanNode, key: string, value: unknown) {
        const all = columns.get(this['Relation Name'] ?? '')
        const whole = all !== undefined && Array.isArray(value) && value.length === all
        const underJoin = ['Outer', 'Inner'].includes(this['Parent Relationship'] ?? '')
        return key === 'Output' && underJoin && (this['Node Type'] === 'Index Only Scan' || whole) ? undefined : value
      })
      for (const n of planNodes(plan).filter((n) => n['Relation Name']! in DETAILS)) {
        checked.set(n['Relation Name']!, (checked.get(n['Relation Name']!) ?? 0) + 1)
        const alias = n.Alias!.replace(/[^a-z0-9_]/gi, '')
        const read = new RegExp(`\\b${alias}\\.(${unread(n['Relation Name']!).join('|')}|\\*)(?![a-z0-9_])`, 'g')
        expect(text.match(read) ?? [], `${statement.sql}\n${JSON.stringify(plan, null, 1)}`).toEqual([])
      }
    }
    return checked
  }

  it('reads no name or detail of a person, nor any detail of an organisation or an activity, for the counts; no detail for plan progress and the network', async () => {
    const org = await h.organisation('Räknade kommunen', 'municipality', { county: 'Dalarnas län' })
    const person = await h.contact('Räknad', 'Läsarsson', { county: 'Dalarnas län', categories: ['official'], tags: ['läst'], affiliations: [{ organisation_id: org.id }] })
    const theme = await h.theme('Räknat tema')
    const alliance = await h.create('/api/v1/alliances', { name: 'Räknad allians' })
    const activity = await insertActivity(t.db, { participants: [{ contact_id: person.id }, { organisation_id: org.id }] })
    const segment = await h.create('/api/v1/segments', {
      name: 'Räknat urval',
      filter: {
        categories: ['official'], counties: ['Dalarnas län'], theme_ids: [theme.id], tags: ['läst'], title: 'handläggare',
        affiliated_kinds: ['municipality'], organisation_ids: [org.id], alliance_ids: [alliance.id], activity_ids: [activity], attendance: ['attended'],
      },
    })
    const targets = [
      { organisation_ids: [org.id], contact_ids: [person.id] },
      { filter: { kinds: ['municipality'], counties: ['Dalarnas län'], theme_ids: [theme.id], tags: ['läst'] } },
      { filter: { categories: ['official'], affiliated_kinds: ['municipality'], title: 'handläggare', tags: ['läst'] } },
      { filter: { counties: ['Dalarnas län'] } },
      { filter: { theme_ids: [theme.id] } },
      { filter: { title: 'handläggare' } },
      { filter: { tags: ['läst'] } },
      { segment_id: segment.id },
    ]
    const plans = []
    for (const [i, target] of targets.entries()) plans.push(await h.plan({ name: `Räknat ${i}`, status: 'active', target, theme_ids: [theme.id] }))
    captured.length = 0
    await dashboardCharts(logged[0]!, today(), translator('sv'), 'sv', { current: true })
    const inOne = captured.length
    await dashboardCharts(logged[1]!, today(), translator('sv'), 'sv', { current: true, inTurns: true })
    // In turns: a statement per target, so more than in one transaction.
    expect(captured.length - inOne).toBeGreaterThan(inOne)
    await progressCounts(logged[0]!, plans.map((p) => p.id), today(), today())
    const counts = await expectUnread(captured.splice(0), (table) => [...NAMES[table]!, ...DETAILS[table]!])
    // Every table's scans were looked at, many times over (each target's statement reads people).
    for (const table of Object.keys(DETAILS)) expect(counts.get(table), table).toBeGreaterThan(8)

    for (const plan of plans) await planProgress(logged[2]!, plan.id, today(), { withCoverage: true })
    for (const types of ['organisation,contact', 'organisation,contact,alliance,body,project,theme']) {
      await networkView(logged[2]!, networkQuery.parse({ types, layout: 'none' }))
      await networkView(logged[2]!, networkQuery.parse({ types, layout: 'none', focus: org.id, depth: '2' }))
      await networkView(logged[2]!, networkQuery.parse({ types, layout: 'none', plan_id: plans[0]!.id }))
    }
    const named = await expectUnread(captured.splice(0), (table) => DETAILS[table]!)
    for (const table of ['contacts', 'organisations']) expect(named.get(table), table).toBeGreaterThan(8)
    // Co-participation reads the activities.
    expect(named.get('activities'), 'activities').toBeGreaterThan(0)
  })
})
