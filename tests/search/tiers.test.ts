import { sql, type CompiledQuery, type SqlBool } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRegister } from '../../bench/register-data.ts'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { CONTACT_NAMES } from '../../src/contacts/search-names.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import { contactVisibleTo } from '../../src/privacy/visibility.ts'
import { after, anyOfArms, commonInSample, COMMON_SHARE, highTierOf, SAMPLED_AT_LEAST, SAMPLED_ROWS, oneWordTiers, preciseMatch, restWalkOf, textScore, WALKED_ROWS } from '../../src/register/search-filter.ts'
import { COUNT_CAP } from '../../src/web/list.ts'
import { isTiersMark, searchContacts, searchContactsInTiers, SEARCH_SOURCES } from '../../src/search/sources.ts'
import { searchGroups } from '../../src/search/search.service.ts'
import { testDb } from '../helpers/db.ts'
import { explain, explainGeneric, planNodes, type PlanNode } from '../helpers/plans.ts'

// A first page that many people match is read in tiers (src/web/list.ts, splitRanked): the rows
// ranked above the rest from their own indexes or the first of them in the length index's order,
// and the rest in that order. Whichever way it is read, it must be the page every match ranked
// gives, and the pages after it must follow on.

let handle: DbHandle
beforeAll(async () => {
  handle = await testDb()
  // Enough people that a fragment matches more than a thousand (splitRanked's least).
  await generateRegister(handle.db, { organisations: 300, contacts: 4_000 })
  // And more than a thousand surnames that start with "berg", none shared by more than two people
  // (no name fills a page): the high tier then is walked too, as "ber"'s 14 298 at 200 000 contacts.
  await sql`insert into contacts (first_name, last_name, sort_name, search_text)
    select 'Test', l, lower(l || ' test'), lower('test ' || l)
    from (select 'Berg' || chr(97 + i % 26) || chr(97 + (i / 26) % 26) as l from generate_series(0, 1199) as i) as named`.execute(handle.db)
  // Beside them, people named "Ber" exactly (ranked above them, read from the names' indexes), one
  // without a first name, and Berg-names a viewer may not see (restricted, protected identity).
  await sql`insert into contacts (first_name, last_name, sort_name, search_text)
    values ('Anna', 'Ber', 'ber anna', 'anna ber'), (null, 'Ber', 'ber', 'ber'), ('Test', 'BER', 'ber test', 'test ber'),
      ('Eva', 'Sson', 'sson eva', 'eva sson'), ('Åke', 'Sson', 'sson ake', 'ake sson')`.execute(handle.db)
  // And people whom "lappmark" finds only in a long e-mail address (an authority's domain), as
  // "kommun" finds most of its 22 221 at 200 000 contacts: below the high tier, and none among the
  // shortest texts.
  await sql`insert into contacts (first_name, last_name, email, sort_name, search_text)
    select 'Test', 'Domän' || i, e, 'doman' || i || ' test', lower('test doman' || i || ' ' || e)
    from (select i, 'forvaltningens.registrator.' || i || '@sodra-lappmarkens-forvaltning.example.se' as e from generate_series(1, 1100) as i) as mailed`.execute(handle.db)
  await sql`update contacts set restricted = true where last_name in ('Bergaa', 'Bergab')`.execute(handle.db)
  await sql`update contacts set deleted_at = now() where last_name in ('Bergag', 'Bergah')`.execute(handle.db)
  await sql`update contacts set protected_identity = true where last_name in ('Bergac', 'Bergad')`.execute(handle.db)
  await sql`update contacts set first_name = null where last_name in ('Bergae', 'Bergaf')`.execute(handle.db)
  await sql`analyze contacts`.execute(handle.db)
}, 120_000)
afterAll(() => handle.close())

/** Every match ranked, as the list's relevance order ranks them: `limit` rows from `offset`. */
const everyMatchRanked = async (q: string, offset: number, limit: number) =>
  (await handle.db.selectFrom('contacts').select('id')
    .where(sql<SqlBool>`deleted_at is null and ${contactVisibleTo('viewer')} and ${preciseMatch('contacts', q)}`)
    .orderBy(sql`${textScore('contacts', q, CONTACT_NAMES)} desc`).orderBy('sort_name').orderBy('id')
    .offset(offset).limit(limit).execute()).map((r) => r.id)

const page = (q: Record<string, unknown>, opts: { count?: boolean } = {}) => contactList.page(handle.db, contactList.schema.parse(q) as never, { audience: 'viewer', ...opts })

describe('a search’s first page read in tiers', () => {
  it.each(['sson', 'son', 'ers', 'ber', 'erg', 'and', 'lin', 'ing', 'ssen', 'kommun', 'lappmark', 'example', 'zett'])('is the page every match ranked gives for "%s", and the next page follows it', async (q) => {
    const first = await page({ q })
    expect(first.data.map((c) => c.id)).toEqual(await everyMatchRanked(q, 0, 50))
    const { rows: [all] } = await sql<{ n: number }>`select count(*)::int as n from contacts where deleted_at is null and ${contactVisibleTo('viewer')} and ${preciseMatch('contacts', q)}`.execute(handle.db)
    expect(first.total).toBe(Math.min(all!.n, COUNT_CAP))
    if (first.next_cursor) {
      const second = await page({ q, cursor: first.next_cursor })
      expect(second.data.map((c) => c.id)).toEqual(await everyMatchRanked(q, 50, 50))
    }
  })

  it.each([
    ['sson', 'the rest walked (a surname’s end)'],
    ['ber', 'the high tier walked (a surname’s start)'],
    ['lappmark', 'the rest walked in the length index alone, past the rows a walk through the table reads (an e-mail domain)'],
    ['erg', 'the rest walked past people a viewer may not see and people deleted (a surname’s middle)'],
  ])('reads "%s" in tiers, %s, and ranks no other way', async (q) => {
    // The statements run, as Kysely's trees (a subquery's tree is made too, but not run): the page
    // read in tiers carries TIERS_FOUND, and after it no page is ranked the general way (the
    // people's affiliations are read after).
    const trees = new Map<unknown, string>()
    const sent: string[] = []
    const logged = handle.db.withPlugin({
      transformQuery: (args) => (trees.set(args.queryId, JSON.stringify(args.node)), args.node),
      transformResult: async (args) => (sent.push(trees.get(args.queryId) ?? ''), args.result),
    })
    // The premise: more than a thousand people hold it (and for "ber", more than a thousand surnames start with it).
    const { rows: [held] } = await sql<{ n: number; names: number }>`select count(*)::int as n, count(*) filter (where fold_name(last_name) like ${q + '%'})::int as names
      from contacts where deleted_at is null and search_text like ${'%' + q + '%'}`.execute(handle.db)
    expect(held!.n).toBeGreaterThan(1_000)
    if (q === 'ber') expect(held!.names).toBeGreaterThan(1_000)
    if (q === 'lappmark') {
      // Too few of them for a page among the shortest texts a walk through the table reads
      // (walkOf's WALKED_ROWS): walked so, the page was ranked the general way after all.
      const { rows: [shortest] } = await sql<{ n: number }>`select count(*)::int as n from (select search_text from contacts where deleted_at is null
        order by length(search_text), sort_name, id limit ${WALKED_ROWS}) as walked where search_text like '%lappmark%'`.execute(handle.db)
      expect(shortest!.n).toBeLessThan(51)
    }
    const read = await contactList.page(logged, contactList.schema.parse({ q }) as never, { audience: 'viewer' })
    expect(read.data.map((c) => c.id)).toEqual(await everyMatchRanked(q, 0, 50))
    const pages = sent.filter((s) => s.includes('narrow_id'))
    expect(pages).toHaveLength(2)
    expect(pages[1]).toContain('tiers_found')
  })

  // The global search's people, every match ranked: ids and scores, best `limit`.
  const everyPersonRanked = (q: string, limit: number, audience: 'viewer' | 'admin') =>
    handle.db.selectFrom('contacts').select(['id', sql<number>`${textScore('contacts', q, CONTACT_NAMES)}`.as('score')])
      .where(sql<SqlBool>`deleted_at is null and merged_into_id is null and erased_at is null and ${contactVisibleTo(audience)} and ${preciseMatch('contacts', q)}`)
      .orderBy(sql`score desc`).orderBy('sort_name').orderBy('id')
      .limit(limit).execute()

  it.each(['sson', 'son', 'ers', 'ber', 'erg', 'and', 'kommun', 'lappmark', 'zett', 'an'])('finds for "%s" in the global search the people every match ranked gives', async (q) => {
    // As the search reads them: its source's answer, read again in tiers where it is marked so.
    const source = SEARCH_SOURCES.find((s) => s.type === 'contact')!
    for (const [limit, audience] of [[21, 'viewer'], [50, 'viewer'], [2, 'admin']] as const) {
      const answer = await source.query(handle.db, q, limit, 'precise', audience).execute()
      const found = answer.some(isTiersMark) ? await source.tiered!(handle.db, q, limit, audience).execute() : answer
      expect(found.map((r) => [r.id, Number(r.score)])).toEqual((await everyPersonRanked(q, limit, audience)).map((r) => [r.id, Number(r.score)]))
    }
  })

  it.each(['sson', 'son', 'ber', 'kommun', 'lappmark', 'zett'])('shows for "%s" the people every match ranked gives on the search page, read whichever way', async (q) => {
    // Through the search itself: "sson" and "son" many match, so its one statement ranks a bounded
    // number and marks the answer, and the people are read again in tiers.
    const groups = await searchGroups(handle.db, q, ['contact'], 20)
    const shown = groups.flatMap((g) => g.hits.map((h) => [h.id, h.score]))
    expect(shown).toEqual((await everyPersonRanked(q, 20, 'viewer')).map((r) => [r.id, Number(r.score)]))
  })

  /** The most rows a scan of the people other than the length index's read, in all its loops. */
  const mostReadBesideTheWalk = (all: PlanNode[]) =>
    Math.max(...all.filter((n) => n['Relation Name'] === 'contacts' && n['Index Name'] !== 'contacts_search_length').map((n) => n['Actual Rows']! * n['Actual Loops']!))

  it('marks the search’s answer for "sson" to be read in tiers, and reads it so: the length index walked, no match ranked beyond it', async () => {
    // The search's own source marks it (not only the mode it is asked for here).
    const bounded = await SEARCH_SOURCES.find((s) => s.type === 'contact')!.query(handle.db, 'sson', 21, 'precise', 'viewer').execute()
    expect(bounded.filter(isTiersMark)).toHaveLength(1)
    expect(bounded.indexOf(bounded.find(isTiersMark)!)).toBe(21)
    // A word too short for tiers is ranked whole, never marked (it would be read twice).
    expect((await searchContacts(handle.db, 'an', 21, 'precise', 'viewer', 'bounded').execute()).filter(isTiersMark)).toEqual([])
    // A rare word is answered whole: no mark.
    expect((await searchContacts(handle.db, 'zett', 21, 'precise', 'viewer', 'bounded').execute()).filter(isTiersMark)).toEqual([])
    const tiered = await searchContactsInTiers(handle.db, 'sson', 21).execute()
    // Two people are named "Sson" exactly, and come first.
    expect(tiered.slice(0, 2).map((r) => Number(r.score))).toEqual([4, 4])
    expect(tiered.map((r) => [r.id, Number(r.score)])).toEqual((await everyPersonRanked('sson', 21, 'viewer')).map((r) => [r.id, Number(r.score)]))
    const all = planNodes(await explain(handle.db, searchContactsInTiers(handle.db, 'sson', 21), 'analyze'))
    // Walked until the page was read, not to its end: ordered otherwise than the index gives its
    // entries, the plan could sort every entry that holds the word.
    const walked = all.filter((n) => n['Index Name'] === 'contacts_search_length' && n['Actual Loops']! > 0)
    expect(walked).toHaveLength(1)
    const { rows: [live] } = await sql<{ n: number }>`select count(*)::int as n from contacts where deleted_at is null`.execute(handle.db)
    expect(walked[0]!['Actual Rows']).toBeLessThan(live!.n / 2)
    // Every match ranked read them all from a scan of the people (more than a thousand).
    expect(mostReadBesideTheWalk(all)).toBeLessThanOrEqual(1_001)
  })

  it('reads the people "lappmark" finds in the global search in tiers, the rest from the length index alone, no match ranked beyond it', async () => {
    const tiered = await searchContactsInTiers(handle.db, 'lappmark', 21).execute()
    expect(tiered.map((r) => [r.id, Number(r.score)])).toEqual((await everyPersonRanked('lappmark', 21, 'viewer')).map((r) => [r.id, Number(r.score)]))
    const all = planNodes(await explain(handle.db, searchContactsInTiers(handle.db, 'lappmark', 21), 'analyze'))
    expect(all.filter((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === 'contacts_search_length' && n['Actual Loops']! > 0)).toHaveLength(1)
    // Every match ranked (the walk through the table's first rows found none of them) read all 1 100.
    expect(mostReadBesideTheWalk(all)).toBeLessThanOrEqual(1_001)
  })

  it('walks the rest in no more entries than it is given, those of them that hold the word', async () => {
    const tiers = oneWordTiers('contacts', 'sson', CONTACT_NAMES)!
    const live = handle.db.selectFrom('contacts').selectAll().where('deleted_at', 'is', null)
    const read = await restWalkOf(handle.db, live, tiers, 300).select('contacts.id').execute()
    const { rows: first } = await sql<{ id: string }>`select id from (select id, search_text from contacts where deleted_at is null
      order by length(search_text), sort_name, id limit 300) as entries where search_text like '%sson%'`.execute(handle.db)
    expect(read.length).toBeGreaterThan(0)
    expect(read.map((r) => r.id).sort()).toEqual(first.map((r) => r.id).sort())
  })

  it.each(['sson', 'ber', 'kommun'])('reads the high tier for "%s" from its own indexes on the one plan kept, the search’s condition checked on its rows', async (q) => {
    // Given both conditions at once, the generic plan also read the search's trigram index and
    // ANDed it with the tier's: 88 666 rows for "sson" at 200 000 contacts, half the statement.
    const tiers = oneWordTiers('contacts', q, CONTACT_NAMES)!
    const live = handle.db.selectFrom('contacts').selectAll().where('deleted_at', 'is', null)
    const plan = await explainGeneric(handle.db, highTierOf(handle.db, live, tiers, preciseMatch('contacts', q), 1_001))
    const indexes = planNodes(plan).map((n) => n['Index Name'])
    expect(indexes).toContain('contacts_exact_last_name')
    expect(indexes).not.toContain('contacts_search')
    // And it reads the rows both conditions hold, as many as it may ("ber": 1 488 here).
    const rows = (await highTierOf(handle.db, live, tiers, preciseMatch('contacts', q), 1_001).select('id').execute()).map((r) => r.id)
    const both = new Set((await live.where(preciseMatch('contacts', q)).where(anyOfArms(tiers.high)).select('id').execute()).map((r) => r.id))
    expect(rows.length).toBe(Math.min(both.size, 1_001))
    expect(rows.filter((id) => !both.has(id))).toEqual([])
  })

  it.each([
    ['sson', true, 'a surname’s end'],
    ['erg', true, 'a surname’s middle'],
    ['son', true, 'a surname’s end, shorter'],
    ['zett', false, 'a rare word'],
    ['qqq', false, 'a word nobody has'],
  ])('tells from a sample whether "%s" is common (%s: %s), on the one plan kept', async (q, common) => {
    // (Words held all through the register: the sample's pages are chosen by number, and the 1 100
    // "lappmark" people added last sit in the table's last pages, which it may or may not take.)
    const tiers = oneWordTiers('contacts', q, CONTACT_NAMES)!
    const asked = handle.db.selectNoFrom(commonInSample(tiers).as('common'))
    expect((await asked.executeTakeFirstOrThrow()).common).toBe(common)
    // The premise of `true`: one in twenty live people hold it, or more (here, of about 6 500).
    const { rows: [held] } = await sql<{ share: number }>`select avg((search_text like ${'%' + q + '%'})::int)::float8 as share from contacts where deleted_at is null`.execute(handle.db)
    expect(held!.share >= 1 / COMMON_SHARE).toBe(common)
    // Its pages, and no more than SAMPLED_ROWS of their rows, on the generic plan as on the one made for the value.
    for (const plan of [await explainGeneric(handle.db, asked), await explain(handle.db, asked, 'analyze')]) {
      const sampled = planNodes(plan).filter((n) => n['Node Type'] === 'Sample Scan')
      expect(sampled).toHaveLength(1)
      expect(sampled[0]!['Actual Rows']).toBeGreaterThanOrEqual(SAMPLED_AT_LEAST)
      expect(sampled[0]!['Actual Rows']).toBeLessThanOrEqual(SAMPLED_ROWS)
    }
  })

  /** The statements `run` sends through a Kysely of its own, compiled, with their parameters. */
  const compiledBy = async (run: (db: typeof handle.db) => Promise<unknown>) => {
    const sent: CompiledQuery[] = []
    const executor = handle.db.getExecutor()
    const logged = handle.db.withPlugin({ transformQuery: (args) => (sent.push(executor.compileQuery(args.node, args.queryId)), args.node), transformResult: async (args) => args.result })
    await run(logged)
    return sent
  }
  /** Whether the plan ran a scan of the trigram index (the search's bitmap of every match). */
  const readsTrigrams = (plan: PlanNode) => planNodes(plan).some((n) => n['Index Name'] === 'contacts_search' && n['Actual Loops']! > 0)

  it('decides how to read a common fragment’s list page without reading every match, and a rare word’s as before', async () => {
    // The statement that asks which way to read the page (src/web/list.ts, besideFlag), on the plan
    // it keeps for every value: counted, "more than a thousand" built the trigram index's bitmap of
    // every match first (88 666 rows for "sson" at 200 000 contacts, 7 of the list's 9.5 ms).
    const deciding = async (q: string) => {
      const sent = await compiledBy((db) => contactList.page(db, contactList.schema.parse({ q }) as never, { audience: 'viewer' }))
      const statement = sent.find((c) => c.sql.includes('as "flagged"'))!
      return explainGeneric(handle.db, { compile: () => statement })
    }
    const sampled = (plan: PlanNode) => planNodes(plan).some((n) => n['Node Type'] === 'Sample Scan' && n['Actual Loops']! > 0)
    for (const q of ['erg', 'son']) {
      const plan = await deciding(q)
      expect([sampled(plan), readsTrigrams(plan)]).toEqual([true, false])
    }
    // A word the sample finds in few or none is counted, and read so: its matches are few.
    const rare = await deciding('zett')
    expect([sampled(rare), readsTrigrams(rare)]).toEqual([true, true])
    // Someone's name is counted at once, no sample taken (two people are named "Sson" here).
    const named = await deciding('sson')
    expect([sampled(named), readsTrigrams(named)]).toEqual([false, true])
  })

  it('marks the global search’s people for "erg" to be read in tiers without ranking a thousand of them first', async () => {
    const bounded = searchContacts(handle.db, 'erg', 21, 'precise', 'viewer', 'bounded')
    expect((await bounded.execute()).filter(isTiersMark)).toHaveLength(1)
    expect(readsTrigrams(await explainGeneric(handle.db, bounded))).toBe(false)
    // A rare word is ranked in the same statement, and not marked.
    const rare = searchContacts(handle.db, 'zett', 21, 'precise', 'viewer', 'bounded')
    expect((await rare.execute()).filter(isTiersMark)).toEqual([])
    expect(readsTrigrams(await explainGeneric(handle.db, rare))).toBe(true)
  })

  it('gives a page of another size, and with a count or without, the same rows', async () => {
    for (const limit of [20, 100]) expect((await page({ q: 'sson', limit })).data.map((c) => c.id)).toEqual(await everyMatchRanked('sson', 0, limit))
    expect((await page({ q: 'ber' }, { count: false })).data.map((c) => c.id)).toEqual(await everyMatchRanked('ber', 0, 50))
  })

  it('has tiers for a word of three characters or more only, of the Basic Multilingual Plane', () => {
    expect(oneWordTiers('contacts', 'sson', CONTACT_NAMES)).toBeDefined()
    expect(oneWordTiers('contacts', 'ss', CONTACT_NAMES)).toBeUndefined()
    expect(oneWordTiers('contacts', 'anna karlsson', CONTACT_NAMES)).toBeUndefined()
    expect(oneWordTiers('contacts', 'a𝒜b', CONTACT_NAMES)).toBeUndefined()
  })

  it('bounds a prefix by the first text after every text that starts with it, in code point order', () => {
    expect(after('ber')).toBe('bes')
    expect(after('abz')).toBe('ab{')
    expect(after('a\u{10ffff}')).toBe('b')
    expect(after('\u{10ffff}')).toBeUndefined()
    // Past the surrogates (not characters): U+D7FF is followed by U+E000.
    expect(after('a\u{d7ff}')).toBe('a\u{e000}')
    // UTF-8's byte order is the code point order: every text that starts with the prefix is between.
    for (const text of ['ber', 'berg', 'ber\u{10ffff}', 'berzzz']) {
      expect(Buffer.compare(Buffer.from(text), Buffer.from('ber'))).toBeGreaterThanOrEqual(0)
      expect(Buffer.compare(Buffer.from(text), Buffer.from(after('ber')!))).toBeLessThan(0)
    }
  })
})
