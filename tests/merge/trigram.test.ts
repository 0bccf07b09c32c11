import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { similarity, trigramIndex } from '../../src/merge/trigram.ts'
import { foldForSearch } from '../../src/register/search-text.ts'
import { testDb } from '../helpers/db.ts'

let db: Awaited<ReturnType<typeof testDb>>
beforeAll(async () => {
  db = await testDb()
})
afterAll(() => db.close())

const NAMES = [
  'Länsstyrelsen i Jönköpings län', 'Lansstyrelsen Jonkopings lan', 'Länsstyrelsen i Jämtlands län', 'Integrationsenheten i Malmö',
  'Integrationsenheten i Umeå', 'Integrationsenheten Malmö stad', 'Röda Korset', 'Röda Korsets ungdomsförbund', 'Migrationsverket',
  'Migrationsverket Region Syd', 'Åsa Lindqvist', 'Asa Lindqvist', 'Åsa Lindgren', 'Örjan Bäck', 'Orjan Back', 'IF Brommapojkarna',
  'Svenska ESF-rådet', 'ESF-rådet', 'a', '', '12 34', 'Skolverket', 'Statens skolverk',
].map((n) => foldForSearch(n))

describe('trigram similarity computed in the app', () => {
  it('gives the same similarity as pg_trgm for every pair', async () => {
    const pairs = NAMES.flatMap((a) => NAMES.map((b) => [a, b] as const))
    const { rows } = await sql<{ s: number }>`
      select similarity(a, b) as s from unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) as x(a, b)`.execute(db.db)
    pairs.forEach(([a, b], i) => expect(similarity(a, b), `${a} ~ ${b}`).toBeCloseTo(Number(rows[i]!.s), 5))
  })

  it('finds through its index exactly the names a comparison with every name finds', () => {
    const items = NAMES.map((folded, i) => ({ id: String(i), label: folded, folded }))
    for (const threshold of [0.3, 0.6, 0.8]) {
      const index = trigramIndex(items, threshold)
      for (const q of NAMES) {
        const expected = items.filter((it) => similarity(q, it.folded) >= threshold).map((it) => it.id).sort()
        expect(index.matches(q, 100).map((m) => m.item.id).sort(), `${q} at ${threshold}`).toEqual(expected)
      }
    }
  })
})
