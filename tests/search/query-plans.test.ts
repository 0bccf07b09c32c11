import { sql, type CompiledQuery, type Compilable, type Kysely, type SqlBool } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRegister } from '../../bench/register-data.ts'
import type { Database } from '../../src/db/schema.ts'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { COUNT_CAP } from '../../src/web/list.ts'
import { listOrganisationsQuery, pageOrganisations } from '../../src/organisations/organisations.list.ts'
import { searchContacts, searchContactsInTiers, searchOrganisations, type Match } from '../../src/search/sources.ts'
import { preciseMatch, textScore, typosOf } from '../../src/register/search-filter.ts'
import { CONTACT_NAMES } from '../../src/contacts/search-names.ts'
import { contactVisibleTo } from '../../src/privacy/visibility.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'
import { capturing, explain as explainOn, planNodes as nodes, type PlanNode } from '../helpers/plans.ts'

/**
 * With a register of realistic size and fresh statistics, the planner must reach organisations
 * and contacts through their indexes: a sequential scan there grows with the register.
 * PostgreSQL only: PGlite has the same planner but no point in proving it twice.
 */
describe.runIf(ENGINE === 'postgres')('query plans at register scale', () => {
  let handle: Awaited<ReturnType<typeof testDb>>
  let db: Kysely<Database>
  let logged: Kysely<Database>
  const captured: CompiledQuery[] = []

  beforeAll(async () => {
    handle = await testDb()
    db = handle.db
    await generateRegister(db, { organisations: 20_000, contacts: 30_000 })
    // As autovacuum leaves a table after a bulk insert: statistics, and pages marked all-visible.
    await sql`vacuum analyze organisations, contacts, search_words`.execute(db)
    // The same database seen through a Kysely that records what it runs, to explain the repo's own SQL.
    logged = capturing(handle.url!, captured)
  }, 180_000)
  afterAll(async () => {
    await logged?.destroy()
    await handle?.close()
  })

  const explain = (query: CompiledQuery | Compilable<unknown>, analyze = false): Promise<PlanNode> => explainOn(db, query, ...(analyze ? (['analyze'] as const) : []))

  function expectNoSeqScan(plan: PlanNode, what: string) {
    const seq = nodes(plan).filter((n) => n['Node Type'] === 'Seq Scan' && ['organisations', 'contacts'].includes(n['Relation Name'] ?? ''))
    expect(seq, `${what} scans a whole table:\n${JSON.stringify(plan, null, 2)}`).toEqual([])
  }

  // Precise matches, and typo matches by the table's corrections of the query (as search asks them).
  const matches = async (q: string, table: string): Promise<Match[]> => ['precise', { typos: (await typosOf(db, q, [table])).get(table)! }]
  it.each(['länsstyrelsen', 'jonkoping', 'Migrationsverkt', 'Röda Korset Malmö', 'MV'])('searches organisations for "%s" through indexes', async (q) => {
    for (const match of await matches(q, 'organisations')) expectNoSeqScan(await explain(searchOrganisations(db, q, 21, match)), `${JSON.stringify(match)} organisation search for "${q}"`)
  })

  it.each(['andersson', 'lindqvist', 'integrationssamordnare', 'anna.svensson', 'Karin Bergstrom', 'Hodzic', 'anderson'])('searches contacts for "%s" through indexes', async (q) => {
    for (const match of await matches(q, 'contacts')) expectNoSeqScan(await explain(searchContacts(db, q, 21, match)), `${JSON.stringify(match)} contact search for "${q}"`)
    // As the search sends it: its other people ranked up to a bound, and read in tiers when marked.
    // (A scan of the people for it stops at the bound: the matches of a common title word are
    // read in the table's order until 1 001 are found, where every one of them was ranked.)
    const bounded = nodes(await explain(searchContacts(db, q, 21, 'precise', 'viewer', 'bounded'), true))
    const scans = bounded.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'contacts').map((n) => n['Actual Rows']! * n['Actual Loops']!)
    expect(Math.max(0, ...scans), `bounded contact search for "${q}"`).toBeLessThanOrEqual(1_001)
    expectNoSeqScan(await explain(searchContactsInTiers(db, q, 21)), `contact search in tiers for "${q}"`)
  })

  it('reads a page of the people a common surname names, not every one of them', async () => {
    // They are all exact matches: ranking them read and scored each (2 866 "andersson" at 200 000
    // contacts) to show 20; they are read from the surname's index in name order instead.
    const { rows: [common] } = await sql<{ name: string; n: number }>`select fold_name(last_name) as name, count(*)::int as n from contacts
      where deleted_at is null group by 1 order by 2 desc limit 1`.execute(db)
    expect(common!.n).toBeGreaterThan(200)
    const plan = await explain(searchContacts(db, common!.name, 21), true)
    const read = nodes(plan).filter((n) => n['Relation Name'] === 'contacts').map((n) => n['Actual Rows']! * n['Actual Loops']!)
    expect(Math.max(...read), JSON.stringify(plan, null, 2)).toBeLessThanOrEqual(21)
  })

  it("reads the first page of a list searched by a common surname from the names, not every match", async () => {
    // The list ranked all of them (2 866 "andersson" at 200 000 contacts) to show 50.
    const { rows: [common] } = await sql<{ name: string; n: number }>`select fold_name(last_name) as name, count(*)::int as n from contacts
      where deleted_at is null group by 1 order by 2 desc limit 1`.execute(db)
    expect(common!.n).toBeGreaterThan(200)
    captured.length = 0
    const page = await contactList.page(logged, contactList.schema.parse({ q: common!.name }) as never, { audience: 'viewer', count: false })
    expect(page.data).toHaveLength(50)
    expect(captured.length).toBeGreaterThan(1)
    // Whether the surname fills the page is asked once (it was planned and run once for each place naming it).
    // (The same index read for the names that start with it is another question: a range, not equality.)
    const asked = nodes(await explain(captured[0]!)).filter((n) => n['Index Name'] === 'contacts_exact_last_name' && !n['Index Cond']?.includes('~>=~'))
    expect(asked).toHaveLength(1)
    for (const statement of captured) {
      const plan = await explain(statement, true)
      const read = nodes(plan).filter((n) => n['Relation Name'] === 'contacts').map((n) => n['Actual Rows']! * n['Actual Loops']!)
      expect(Math.max(0, ...read), JSON.stringify(plan, null, 2)).toBeLessThanOrEqual(51)
    }
  })

  // The first page of the general way: every match ranked, as the list's relevance order ranks them.
  const everyMatchRanked = (q: string) =>
    db.selectFrom('contacts').select('id')
      .where(sql<SqlBool>`deleted_at is null and ${contactVisibleTo('viewer')} and ${preciseMatch('contacts', q)}`)
      .orderBy(sql`${textScore('contacts', q, CONTACT_NAMES)} desc`).orderBy('sort_name').orderBy('id')
      .limit(50).execute()

  it('reads the first page of a fragment many people hold in two tiers, the page every match ranked gives, counted up to the cap', async () => {
    // Ranked one by one, "sson"'s 88 666 people at 200 000 contacts took ~200 ms of PostgreSQL to
    // show 50; read in two tiers, ~15 ms (bench/README.md, *A fragment's first page read in two tiers*).
    captured.length = 0
    const page = await contactList.page(logged, contactList.schema.parse({ q: 'sson' }) as never, { audience: 'viewer' })
    expect(page.data.map((c) => c.id)).toEqual((await everyMatchRanked('sson')).map((r) => r.id))
    const { rows: [all] } = await sql<{ n: number }>`select count(*)::int as n from contacts where deleted_at is null and ${contactVisibleTo('viewer')} and ${preciseMatch('contacts', 'sson')}`.execute(db)
    expect(all!.n).toBeGreaterThan(1_000)
    expect(page.total).toBe(Math.min(all!.n, COUNT_CAP))
    // No statement ranks, sorts or counts every match: at most a high tier's worth (two tiers), where
    // the general way's window counted all of them.
    for (const statement of captured) {
      const plan = await explain(statement, true)
      const ranked = nodes(plan).filter((n) => ['WindowAgg', 'Sort', 'Incremental Sort'].includes(n['Node Type'])).map((n) => n['Actual Rows']! * n['Actual Loops']!)
      expect(Math.max(0, ...ranked), JSON.stringify(plan, null, 2)).toBeLessThanOrEqual(1_001)
    }
    // The people shown read whole by their key: a page's worth.
    const whole = captured.map((s) => s.sql).filter((s) => s.includes('tiers_found'))
    expect(whole).toHaveLength(1)
  })

  it.each(['sson', 'son', 'ers', 'berg', 'and', 'lin', 'sven', 'example'])('gives the page every match ranked gives for "%s", whichever way it is read', async (q) => {
    const page = await contactList.page(db, contactList.schema.parse({ q }) as never, { audience: 'viewer', count: false })
    expect(page.data.map((c) => c.id)).toEqual((await everyMatchRanked(q)).map((r) => r.id))
  })

  it.each([
    ['zeterholm', 'search_words_letters_trgm'],
    ['andersson1957', 'search_words_trgm'],
  ])('looks up the corrections of "%s" in %s', async (q, index) => {
    // A word of letters among the words of letters only: the words with digits (of e-mail
    // addresses, numbers) were nearly all the words, and a lookup read their trigrams too.
    captured.length = 0
    await typosOf(logged, q, ['contacts', 'organisations'])
    expect(captured).toHaveLength(1)
    const used = nodes(await explain(captured[0]!)).flatMap((n) => n['Index Name'] ?? [])
    expect(used).toContain(index)
  })

  it.each([
    ['the default organisations list', {}],
    ['the organisations list of one county', { county: 'Jönköpings län' }],
    ['the organisations list of one kind', { kind: 'municipality' }],
    ['the organisations list searched for a place', { q: 'jonkoping' }],
  ])('pages %s through indexes, its count included', async (_what, query) => {
    captured.length = 0
    await pageOrganisations(logged, listOrganisationsQuery.parse(query))
    expect(captured.length).toBeGreaterThanOrEqual(1)
    for (const q of captured) expectNoSeqScan(await explain(q), `${_what}: ${q.sql}`)
  })
})
