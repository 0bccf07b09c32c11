import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { CONTACT_NAMES } from '../../src/contacts/search-names.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import { contactVisibleTo, type Audience } from '../../src/privacy/visibility.ts'
import { preciseMatch, textScore } from '../../src/register/search-filter.ts'
import { searchAll } from '../../src/search/search.service.ts'
import { searchContacts } from '../../src/search/sources.ts'
import { testDb } from '../helpers/db.ts'
import { insertContact } from './records.ts'

// A word that names many people exactly (a common surname) is answered from the name indexes, a
// page's worth in name order, and the other matches ranked only when the exact ones are fewer
// (searchContacts; issue 15). What a reader sees must be what ranking every match gives.
let handle: DbHandle
const FIRST = ['Anna', 'Bertil', 'Cecilia', 'David', 'Elin', 'Fredrik', 'Greta', 'Hugo', 'Ingrid', 'Johan', 'Karin', 'Lars', 'Maria', 'Nils', 'Olivia', 'Per', 'Rut', 'Sven', 'Tove', 'Ulf', 'Vera', 'Åke', 'Ärla', 'Örjan']

beforeAll(async () => {
  handle = await testDb()
  const db = handle.db
  // 24 exact "Lindqvist"s whose texts differ in length the other way round from their names: the
  // longest text has the first name, as a ranking by how much of the text the query covers would not list them.
  for (const [i, first] of FIRST.entries()) {
    await insertContact(db, { first_name: first, last_name: i % 5 === 0 ? 'LINDQVIST' : 'Lindqvist', title: 'Handläggare '.repeat(FIRST.length - i).trim() })
  }
  await insertContact(db, { first_name: 'Lindqvist', last_name: 'Berg' })
  await insertContact(db, { first_name: 'Åsa', last_name: 'Lindqvistgården', email: 'asa@lindqvist.se' })
  await insertContact(db, { first_name: 'Lind', last_name: 'Qvist', email: 'lindqvist' })
  await insertContact(db, { first_name: 'Asa', last_name: 'Öberg', title: 'Lindqvists efterträdare' })
  await insertContact(db, { first_name: 'Gammal', last_name: 'Lindqvist', deleted: true })
  await insertContact(db, { last_name: 'Lindqvist', erased: true })
  // Merged into another and restored: live, with its name, and not shown by search.
  const merged = await insertContact(db, { first_name: 'Återställd', last_name: 'Lindqvist' })
  await db.updateTable('contacts').set({ merged_into_id: await insertContact(db, { first_name: 'Kvar', last_name: 'Ek' }) }).where('id', '=', merged).execute()
  for (const [name, flag] of [['Skyddad', 'protected_identity'], ['Begränsad', 'restricted']] as const) {
    const id = await insertContact(db, { first_name: name, last_name: 'Lindqvist' })
    await db.updateTable('contacts').set({ [flag]: true }).where('id', '=', id).execute()
  }
})
afterAll(() => handle.close())

/**
 * Every precise match the audience may see, ranked, as one statement over all of them: among the
 * people search shows (live, not merged away, not erased), or among every live row, as the
 * contacts list shows them.
 */
async function rankedAll(q: string, limit: number, audience: Audience, among: 'search' | 'list' = 'search') {
  const shown = among === 'search' ? sql`merged_into_id is null and erased_at is null` : sql`true`
  const { rows } = await sql<{ id: string; score: number }>`select id, ${textScore('contacts', q, CONTACT_NAMES)} as score from contacts
    where deleted_at is null and ${shown} and ${contactVisibleTo(audience)} and ${preciseMatch('contacts', q)}
    order by score desc, sort_name, id limit ${limit}`.execute(handle.db)
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }))
}

describe('people named exactly by a search', () => {
  it('come first, in name order, whatever else their records hold', async () => {
    const hits = await searchAll(handle.db, 'lindqvist', ['contact'], 20)
    // The surname's 24, the first name of one and the e-mail address of another.
    const exact = await handle.db.selectFrom('contacts').select(['id', 'sort_name'])
      .where((eb) => eb.or([eb('last_name', 'ilike', 'lindqvist'), eb('first_name', 'ilike', 'lindqvist'), eb('email', '=', 'lindqvist')]))
      .where('deleted_at', 'is', null).where('erased_at', 'is', null).where('merged_into_id', 'is', null).where('protected_identity', '=', false).where('restricted', '=', false)
      .orderBy('sort_name').orderBy('id').execute()
    expect(exact).toHaveLength(FIRST.length + 2)
    expect(hits.map((h) => h.id)).toEqual(exact.slice(0, 20).map((r) => r.id))
    expect(hits.slice(0, 3).map((h) => h.label)).toEqual(['Lindqvist Berg', 'Anna LINDQVIST', 'Bertil Lindqvist'])
  })

  it('are found as ranking every match finds them, for any query, page size and reader', async () => {
    const query = fc.constantFrom('lindqvist', 'LINDQVIST', 'Lindqvíst', 'lind', 'berg', 'anna', 'åsa', 'asa', 'qvist', 'asa@lindqvist.se', 'lindqvist ', 'zzz', 'lindqvist berg', 'Skyddad')
    const audience = fc.constantFrom<Audience>('viewer', 'editor', 'admin')
    await fc.assert(
      fc.asyncProperty(query, fc.integer({ min: 1, max: 40 }), audience, async (q, limit, who) => {
        const found = (await searchContacts(handle.db, q, limit, 'precise', who).execute()).map((r) => ({ id: r.id, score: Number(r.score) }))
        expect(found).toEqual(await rankedAll(q, limit, who))
      }),
      { numRuns: 60 },
    )
  })
})

describe('a list searched by a word that names many people exactly', () => {
  // Its first page is read from the name indexes when they fill it (searchFirstPage), every match
  // ranked otherwise: a reader must see the same page, and the same total, either way.
  // The list shows every live row: the erased "Lindqvist" above, who kept a name (an edit after the
  // erasure can give one back), and the merged one restored, are listed where ranking puts them
  // — the erased one first of the name — on the page read from the names too.
  async function countAll(q: string, audience: Audience) {
    const { rows: [row] } = await sql<{ n: number }>`select count(*)::int as n from contacts
      where deleted_at is null and ${contactVisibleTo(audience)} and ${preciseMatch('contacts', q)}`.execute(handle.db)
    return row!.n
  }

  it('shows the page and the total that ranking every match gives, for any page size and reader', async () => {
    // Words with an exact match or with many matches: no typo match fills in, so ranking every
    // precise match is the whole answer.
    const query = fc.constantFrom('lindqvist', 'LINDQVIST', 'Lindqvíst', 'lind', 'qvist', 'anna', 'åsa', 'asa', 'asa@lindqvist.se', 'lindqvist berg', 'handläggare')
    const audience = fc.constantFrom<Audience>('viewer', 'editor', 'admin')
    await fc.assert(
      // 19–23: a page the 24 named Lindqvist fill, read from the names.
      fc.asyncProperty(query, fc.oneof(fc.integer({ min: 19, max: 23 }), fc.integer({ min: 1, max: 40 })), audience, fc.boolean(), async (q, limit, who, count) => {
        const page = await contactList.page(handle.db, contactList.schema.parse({ q, limit: String(limit) }) as never, { audience: who, count })
        expect(page.data.map((c) => c.id)).toEqual((await rankedAll(q, limit, who, 'list')).map((r) => r.id))
        if (count) expect(page.total).toBe(await countAll(q, who))
      }),
      { numRuns: 60 },
    )
  })
})
