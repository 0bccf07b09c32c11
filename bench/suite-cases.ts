/** The reads of the benchmark suite (bench/suite.bench.ts, bench/explain-reads.ts) on a generated data set. */
import { sql, type Kysely } from 'kysely'
import { encodeCursor } from '../src/db/pagination.ts'
import type { Database } from '../src/db/schema.ts'
import { RARE_PEOPLE } from './generate.ts'

export interface Case { name: string; path: string; auth: 'cookie' | 'bearer'; method?: string; body?: string; budget?: number }

export async function casesFor(db: Kysely<Database>): Promise<Case[]> {
  const one = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(db)).rows[0]!
  const contact = await one(sql<{ id: string }>`select id from contacts where email = ${RARE_PEOPLE[0]!.email}`)
  const org = await one(sql<{ id: string }>`select o.id from organisations o join affiliations a on a.organisation_id = o.id group by o.id order by count(*) desc, o.id limit 1`)
  const plan = await one(sql<{ id: string }>`select id from plans where status = 'active' and target->'filter' ? 'categories' order by sort_name limit 1`)
  const theme = await one(sql<{ id: string }>`select id from themes order by name limit 1`)
  const deep = await one(sql<{ sort_name: string; id: string }>`select sort_name, id from contacts where deleted_at is null order by sort_name, id offset (select count(*) * 9 / 10 from contacts) limit 1`)
  const cursor = encodeCursor([deep.sort_name, deep.id])
  const q = (s: string) => encodeURIComponent(s)
  return [
    { name: 'contacts list (API)', path: '/api/v1/contacts?limit=50', auth: 'bearer', budget: 50 },
    { name: 'contacts list (page)', path: '/contacts', auth: 'cookie', budget: 50 },
    { name: 'contacts, rare name q', path: `/api/v1/contacts?q=${q('Zetterholm')}`, auth: 'bearer', budget: 50 },
    { name: 'contacts, exact name q', path: `/api/v1/contacts?q=${q('Åsa Lindström')}`, auth: 'bearer', budget: 50 },
    // A surname many people have, typed into the list's own box: every match ranked and counted.
    { name: 'contacts, common name q', path: `/api/v1/contacts?q=${q('andersson')}`, auth: 'bearer', budget: 50 },
    { name: 'contacts, deep page (cursor)', path: `/api/v1/contacts?limit=50&cursor=${cursor}`, auth: 'bearer', budget: 50 },
    { name: 'search, common word', path: `/api/v1/search?q=${q('andersson')}`, auth: 'bearer', budget: 50 },
    { name: 'search, place', path: `/api/v1/search?q=${q('jonkoping')}`, auth: 'bearer', budget: 50 },
    { name: 'search, rare word', path: `/api/v1/search?q=${q('Zetterholm')}`, auth: 'bearer', budget: 50 },
    { name: 'search, typo', path: `/api/v1/search?q=${q('Zeterholm')}`, auth: 'bearer', budget: 50 },
    { name: 'organisations, kind=ngo', path: '/api/v1/organisations?kind=ngo', auth: 'bearer', budget: 50 },
    { name: 'contact detail (page)', path: `/contacts/${contact.id}`, auth: 'cookie', budget: 50 },
    { name: 'organisation detail (page)', path: `/organisations/${org.id}`, auth: 'cookie', budget: 50 },
    { name: 'plan progress (API)', path: `/api/v1/plans/${plan.id}/progress`, auth: 'bearer', budget: 100 },
    { name: 'dashboard (page)', path: '/', auth: 'cookie', budget: 100 },
    { name: 'network, ego depth 2', path: `/api/v1/network?focus=${org.id}&depth=2`, auth: 'bearer', budget: 100 },
    { name: 'network, one theme', path: `/api/v1/network?theme_id=${theme.id}`, auth: 'bearer' },
    { name: 'network, whole (clustered)', path: '/api/v1/network', auth: 'bearer' },
  ]
}
