import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { up as foldStoredText } from '../../migrations/20261206T1620_search_text_letters.ts'
import { up as foldMoreStoredText } from '../../migrations/20261206T1740_search_text_more_letters.ts'
import { FOLDED, foldForSearch, foldText } from '../../src/register/search-text.ts'
import { highlight } from '../../src/search/highlight.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// A name with a letter that is not a letter and a mark (ø, æ, ß, ł) was stored in the searched
// text as typed, while the database's own fold (unaccent: the rank, the exact-name indexes) took it
// to ASCII. "Bjørn" was then an exact match for "bjorn" in the global search, which reads exact
// names from those indexes, and not found at all by the contacts list. Fictional people.
let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
const ids: Record<string, string> = {}

async function contact(first_name: string, last_name: string): Promise<string> {
  const res = await api('POST', '/api/v1/contacts', { first_name, last_name, categories: [] })
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { id: string }).id
}
async function listed(q: string): Promise<{ id: string; first_name: string }[]> {
  const res = await api('GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: { id: string; first_name: string }[] }).data
}
async function searched(q: string): Promise<{ id: string; score: number }[]> {
  const res = await api('GET', `/api/v1/search?q=${encodeURIComponent(q)}&types=contact`)
  expect(res.status).toBe(200)
  return ((await res.json()) as { data: { id: string; score: number }[] }).data
}
/** The database's fold of a name: the one the rank and the exact-name indexes use. */
const databaseFold = async (text: string) => (await sql<{ f: string }>`select fold_name(${text}) as f`.execute(t.db)).rows[0]!.f

beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  ids.bjorn = await contact('Bjørn', 'Østergaard')
  ids.plain = await contact('Bjorn', 'Lind')
  ids.soren = await contact('Søren', 'Kierkegaard')
  ids.strasse = await contact('Ulrike', 'Straße')
  ids.weiss = await contact('Rolf', 'Weiß')
  ids.griffith = await contact('Karin', 'Griﬃth')
  ids.dzuric = await contact('Ana', 'Ǆurić')
  ids.lech = await contact('Łucja', 'Wałęsa')
  ids.aeso = await contact('Æsa', 'Bergström')
  ids.fragment = await contact('Karl', 'Bjornstad')
})
afterAll(() => t.close())

describe('letters only the database folded', () => {
  it('are folded in the searched text as the database folds them', async () => {
    const letters = Object.keys(FOLDED)
    for (const l of [...letters, ...letters.map((x) => x.toUpperCase()), 'å', 'Ä', 'ö', 'é', 'ü', 'Ñ']) expect(foldText(l), l).toBe(await databaseFold(l))
    const alphabet = fc.constantFrom(...[...'abcosz åäöéüøæßðþđłœØÆŁŒﬁﬃǆǅƒ'])
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')), async (name) => {
        expect(foldText(name)).toBe(await databaseFold(name))
      }),
      { numRuns: 100 },
    )
  })

  it('let the contacts list find a name typed without them, exact first, as the global search does', async () => {
    // Both Bjørn and Bjorn are exact for "bjorn" and for "bjørn"; Bjornstad only starts with it.
    for (const q of ['bjorn', 'bjørn', 'BJØRN']) {
      const rows = await listed(q)
      expect(rows.map((r) => r.id), q).toEqual([ids.plain, ids.bjorn, ids.fragment])
      const hits = await searched(q)
      expect(new Set(hits.slice(0, 2).map((h) => h.id)), q).toEqual(new Set([ids.bjorn, ids.plain]))
      expect(hits.slice(0, 2).every((h) => h.score >= 4) && hits[2]!.score < 4, q).toBe(true)
    }
    expect((await listed('ostergaard')).map((r) => r.id)).toEqual([ids.bjorn])
    expect((await listed('soren kierkegaard')).map((r) => r.id)).toEqual([ids.soren])
    expect((await listed('strasse')).map((r) => r.id)).toEqual([ids.strasse])
    expect((await listed('lucja walesa')).map((r) => r.id)).toEqual([ids.lech])
    expect((await listed('aesa')).map((r) => r.id)).toEqual([ids.aeso])
    // A ligature pasted from a PDF, a letter of a digraph: as the database folds them too.
    expect((await listed('griffith')).map((r) => r.id)).toEqual([ids.griffith])
    expect((await listed('dzuric')).map((r) => r.id)).toEqual([ids.dzuric])
  })

  it('are marked where they matched', () => {
    const marked = (text: string, q: string) => highlight(text, foldForSearch(q)).filter((p) => p.hit).map((p) => p.text)
    expect(marked('Bjørn Østergaard', 'bjorn ostergaard')).toEqual(['Bjørn Østergaard'])
    // Not a shared beginning of a word either (which the highlight marks as a near word): "weiss" for "Weiß".
    expect(marked('Rolf Weiß', 'weiss')).toEqual(['Weiß'])
    expect(marked('Æsa Bergström', 'aesa')).toEqual(['Æsa'])
  })

  it('are folded in text stored before, and its words for typos with it', async () => {
    // As the code before stored it.
    await sql`update contacts set search_text = 'søren kierkegaard' where id = ${ids.soren}`.execute(t.db)
    const words = () => sql<{ word: string }>`select word from search_words where source = 'contacts' and word in ('søren', 'soren') order by word`.execute(t.db).then((r) => r.rows.map((w) => w.word))
    expect(await listed('soren')).toEqual([])
    expect(await words()).toEqual(['søren'])
    await foldStoredText(t.db)
    expect((await t.db.selectFrom('contacts').select('search_text').where('id', '=', ids.soren!).executeTakeFirstOrThrow()).search_text).toBe('soren kierkegaard')
    expect((await listed('soren')).map((r) => r.id)).toEqual([ids.soren])
    expect(await words()).toEqual(['soren'])
    // The second table's letters, by the second migration.
    await sql`update contacts set search_text = 'karin griﬃth' where id = ${ids.griffith}`.execute(t.db)
    expect(await listed('griffith')).toEqual([])
    await foldMoreStoredText(t.db)
    expect((await listed('griffith')).map((r) => r.id)).toEqual([ids.griffith])
  })
})
