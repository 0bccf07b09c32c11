import { sql, type SqlBool } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { CONTACT_NAMES } from '../../src/contacts/search-names.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import { contactVisibleTo, type Audience } from '../../src/privacy/visibility.ts'
import { commonInSample, oneWordTiers, preciseMatch, textScore } from '../../src/register/search-filter.ts'
import { isTiersMark, SEARCH_SOURCES } from '../../src/search/sources.ts'
import { testDb } from '../helpers/db.ts'

// Whether a fragment is common is first asked of a sample of the table (commonInSample). The
// sample only chooses how a page is read: where it misjudges — here it reads every one of a small
// register's people, and 4 of 60 hold "qzx", one in twenty or more, though four are far fewer than
// the thousand that make a search worth reading in tiers — the page is still every match ranked.

let handle: DbHandle
beforeAll(async () => {
  handle = await testDb()
  await sql`insert into contacts (first_name, last_name, sort_name, search_text)
    select 'Test', 'Person' || i, 'person' || lpad(i::text, 3, '0') || ' test', 'test person' || i from generate_series(1, 56) as i`.execute(handle.db)
  await sql`insert into contacts (first_name, last_name, sort_name, search_text, restricted, protected_identity)
    values ('Anna', 'Baqzxon', 'baqzxon anna', 'anna baqzxon', false, false), ('Bo', 'Qzxberg', 'qzxberg bo', 'bo qzxberg', false, false),
      ('Cecilia', 'Lundqzx', 'lundqzx cecilia', 'cecilia lundqzx', true, false), ('Dan', 'Aqzx', 'aqzx dan', 'dan aqzx', false, true)`.execute(handle.db)
  await sql`analyze contacts`.execute(handle.db)
}, 60_000)
afterAll(() => handle.close())

const everyMatchRanked = async (q: string, audience: Audience, limit: number) =>
  (await handle.db.selectFrom('contacts').select('id')
    .where(sql<SqlBool>`deleted_at is null and ${contactVisibleTo(audience)} and ${preciseMatch('contacts', q)}`)
    .orderBy(sql`${textScore('contacts', q, CONTACT_NAMES)} desc`).orderBy('sort_name').orderBy('id')
    .limit(limit).execute()).map((r) => r.id)

const everyPersonRanked = async (q: string, audience: Audience, limit: number) =>
  (await handle.db.selectFrom('contacts').select(['id', sql<number>`${textScore('contacts', q, CONTACT_NAMES)}`.as('score')])
    .where(sql<SqlBool>`deleted_at is null and merged_into_id is null and erased_at is null and ${contactVisibleTo(audience)} and ${preciseMatch('contacts', q)}`)
    .orderBy(sql`score desc`).orderBy('sort_name').orderBy('id')
    .limit(limit).execute()).map((r) => [r.id, Number(r.score)])

/** The list's first page as each statement of it is sent: their Kysely trees, as text. */
async function listPage(q: string, audience: Audience, limit: number) {
  const sent: string[] = []
  const logged = handle.db.withPlugin({ transformQuery: (args) => (sent.push(JSON.stringify(args.node)), args.node), transformResult: async (args) => args.result })
  const page = await contactList.page(logged, contactList.schema.parse({ q, limit }) as never, { audience })
  return { ids: page.data.map((c) => c.id), total: page.total, sent }
}

/** The global search's people, as the search reads them: the source's answer, read again in tiers where it is marked so. */
async function searchPeople(q: string, audience: Audience, limit: number) {
  const source = SEARCH_SOURCES.find((s) => s.type === 'contact')!
  const answer = await source.query(handle.db, q, limit, 'precise', audience).execute()
  const marked = answer.some(isTiersMark)
  const found = marked ? await source.tiered!(handle.db, q, limit, audience).execute() : answer
  return { marked, found: found.map((r) => [r.id, Number(r.score)]) }
}

describe('a fragment a sample judges common', () => {
  it('is one here: the sample reads every person and one in twenty of them holds it', async () => {
    const asked = await handle.db.selectNoFrom(commonInSample(oneWordTiers('contacts', 'qzx', CONTACT_NAMES)!).as('common')).executeTakeFirstOrThrow()
    expect(asked.common).toBe(true)
  })

  it.each([
    ['viewer', 37],
    ['editor', 50],
    ['admin', 20],
  ] as const)('gives the list page every match ranked gives (%s, %i a page), read in tiers first', async (audience, limit) => {
    const { ids, total, sent } = await listPage('qzx', audience, limit)
    const all = await everyMatchRanked('qzx', audience, 200)
    expect(ids).toEqual(all.slice(0, limit))
    expect(total).toBe(all.length)
    // The sample sent it the tiers' way, which could not tell the page and ranked every match after.
    expect(sent.some((s) => s.includes('tiers_found'))).toBe(true)
    // A viewer sees neither the restricted person nor the protected identity; an editor the latter.
    expect(all).toHaveLength({ viewer: 2, editor: 3, admin: 4 }[audience])
  })

  it.each([
    ['viewer', 21],
    ['editor', 37],
    ['admin', 2],
  ] as const)('gives the global search the people every match ranked gives (%s, %i at most), marked for the tiers', async (audience, limit) => {
    const { marked, found } = await searchPeople('qzx', audience, limit)
    expect(marked).toBe(true)
    expect(found).toEqual(await everyPersonRanked('qzx', audience, limit))
  })

  it('finds nobody for a reader who may see none of those who hold it, and nobody when the reader may see no one at all', async () => {
    await sql`update contacts set restricted = true where search_text like '%qzx%'`.execute(handle.db)
    expect((await listPage('qzx', 'viewer', 50)).ids).toEqual([])
    expect((await searchPeople('qzx', 'viewer', 21)).found).toEqual([])
    expect((await listPage('qzx', 'admin', 50)).ids).toHaveLength(4)
    // No one a viewer may see: the search's mark has no person to be, and the answer is none, as before.
    await sql`update contacts set restricted = true`.execute(handle.db)
    const none = await SEARCH_SOURCES.find((s) => s.type === 'contact')!.query(handle.db, 'qzx', 21, 'precise', 'viewer').execute()
    expect(none).toEqual([])
    expect((await listPage('qzx', 'viewer', 50)).ids).toEqual([])
  })
})
