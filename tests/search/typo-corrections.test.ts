import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WORD_SEPARATORS } from '../../migrations/20261205T0100_search_words.ts'
import { backupDatabase, restoreDatabase } from '../../scripts/backup-format.ts'
import { typosOf } from '../../src/register/search-filter.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'

// A typo is corrected to the words of live records first (search_words, kept by triggers), and
// only the records holding those words are read (issue 15: "anderson" checked and scored every
// Andersson and every Anders, 350 ms at 10 connections).
let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
const api = (who: typeof editor, method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, who.headers))
const created = async (body: Record<string, unknown>) => {
  const res = await api(editor, 'POST', '/api/v1/contacts', { categories: [], ...body })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; version: number }
}
const found = async (q: string) =>
  ((await (await api(editor, 'GET', `/api/v1/search?types=contact&q=${encodeURIComponent(q)}`)).json()) as { data: { label: string }[] }).data.map((h) => h.label)
const listed = async (q: string) =>
  ((await (await api(editor, 'GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`)).json()) as { data: { first_name: string; last_name: string }[] }).data.map((c) => `${c.first_name} ${c.last_name}`)
const words = async (source: string, like: string) =>
  (await sql<{ word: string }>`select word from search_words where source = ${source} and word like ${like} order by word`.execute(t.db)).rows.map((r) => r.word)

beforeAll(async () => {
  // Not an authority: an erasure on request needs no culling decision (src/privacy/lawful-basis.ts).
  t = await testApp({ controllerKind: 'other' })
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  // Fictional people: three called Andersson, and an Anders who is not.
  for (const [first_name, last_name] of [['Karin', 'Andersson'], ['Olof', 'Andersson'], ['Sara', 'Andersson'], ['Anders', 'Berg']]) await created({ first_name, last_name })
}, 60_000)
afterAll(() => t.close())

describe('a typo', () => {
  it('is corrected to the name meant, not to every name a letter away', async () => {
    // "anderson" is as near "anders" as trigrams go (0.67 word similarity): before, Anders Berg
    // was a typo match too, and every Anders of a national register was read and scored.
    for (const names of [await found('anderson'), await listed('anderson')]) {
      expect(names.sort()).toEqual(['Karin Andersson', 'Olof Andersson', 'Sara Andersson'])
    }
  })

  it('of several words is corrected word by word', async () => {
    // Every word as typed or corrected: Sara Andersson, not the other Anderssons nor Anders Berg.
    expect(await found('sara anderson')).toEqual(['Sara Andersson'])
    expect(await listed('Andersson Sarah')).toEqual(['Sara Andersson'])
    // "andersn" is nearer "anders" (0.67) than "andersson" (0.5); with another word beside it, the
    // other word decides: nobody is Sara and Anders, Sara Andersson is found.
    expect(await found('sara andersn')).toEqual(['Sara Andersson'])
    // Punctuation typed along is no word to match ("_" found nothing before).
    expect(await found("%_\\ ' sara andersn")).toEqual(['Sara Andersson'])
  })

  it('of letters is corrected to a word of letters, not to one with digits; a word with digits among all words', async () => {
    // An address holding a name and a year: its word "andersson1975" is a typo away from
    // "anderson" too (pg_trgm's <%). A word of letters is looked up among the words of letters
    // only; one with digits among all words (query-plans.test.ts shows which index each reads).
    const maja = await created({ first_name: 'Maja', last_name: 'Lind', email: 'andersson1975@example.se' })
    try {
      expect(await words('contacts', 'andersson%')).toEqual(['andersson', 'andersson1975'])
      expect((await typosOf(t.db, 'anderson', ['contacts'])).get('contacts')).toEqual([{ typed: 'anderson', corrections: [{ word: 'andersson', similarity: expect.any(Number) }] }])
      expect((await found('anderson')).sort()).toEqual(['Karin Andersson', 'Olof Andersson', 'Sara Andersson'])
      // The address mistyped is still found by its own word, the closest among all words.
      const [typed] = (await typosOf(t.db, 'andersson1957', ['contacts'])).get('contacts')!
      expect(typed!.corrections[0]!.word).toBe('andersson1975')
      expect((await found('andersson1957'))[0]).toBe('Maja Lind')
    } finally {
      expect((await api(editor, 'DELETE', `/api/v1/contacts/${maja.id}`)).status).toBe(204)
    }
  })

  it('finds a name written a moment ago, and not one edited, deleted or erased away', async () => {
    const person = await created({ first_name: 'Wiktor', last_name: 'Kowalczyk' })
    expect(await found('kowalczik')).toEqual(['Wiktor Kowalczyk'])
    expect(await words('contacts', 'kowal%')).toEqual(['kowalczyk'])

    // Renamed: the old name is no correction any more, the new one is.
    const renamed = await api(editor, 'PATCH', `/api/v1/contacts/${person.id}`, { version: person.version, last_name: 'Kowalski' })
    expect(renamed.status).toBe(200)
    expect(await found('kowalczik')).toEqual([])
    expect(await found('kowalsky')).toEqual(['Wiktor Kowalski'])
    expect(await words('contacts', 'kowal%')).toEqual(['kowalski'])

    // Deleted, its words go with it; restored, they are back.
    expect((await api(editor, 'DELETE', `/api/v1/contacts/${person.id}`)).status).toBe(204)
    expect(await words('contacts', 'kowal%')).toEqual([])
    expect((await api(admin, 'POST', `/api/v1/contacts/${person.id}/restore`)).status).toBe(200)
    expect(await found('kowalsky')).toEqual(['Wiktor Kowalski'])

    // Erased: the name stays nowhere, not even as a bare word among the corrections.
    const erased = await api(admin, 'POST', `/api/v1/contacts/${person.id}/erase`, { confirm: 'Wiktor Kowalski', mode: 'anonymise' })
    expect(erased.status, await erased.clone().text()).toBe(200)
    expect(await words('contacts', 'kowal%')).toEqual([])
    expect(await words('contacts', 'wiktor')).toEqual([])
    expect(await found('kowalsky')).toEqual([])
  })

  it('leaves the words out of a backup: the restore writes them again from the live records', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'navet-words-')), 'backup.jsonl.gz')
    const target = await testDb()
    const all = async (db: Kysely<any>) => (await sql<{ source: string; word: string }>`select source, word from search_words order by source, word`.execute(db)).rows
    try {
      expect((await backupDatabase(t.db, file)).tables.map((x) => x.name)).not.toContain('search_words')
      await restoreDatabase(target.db, file)
      const before = await all(t.db)
      expect(before).toContainEqual({ source: 'contacts', word: 'andersson' })
      expect(await all(target.db)).toEqual(before)
    } finally {
      await target.close()
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    }
  })

  it('keeps a word another live record still holds', async () => {
    const a = await created({ first_name: 'Tove', last_name: 'Quist' })
    await created({ first_name: 'Tore', last_name: 'Quist' })
    expect((await api(editor, 'DELETE', `/api/v1/contacts/${a.id}`)).status).toBe(204)
    expect(await words('contacts', 'quist')).toEqual(['quist'])
    expect(await words('contacts', 'tove')).toEqual([])
  })
})

describe('the words of a table', () => {
  // Whatever a sequence of writes does, the table's words are those of its live rows: none left
  // behind, none missing (checked against the words counted afresh).
  const VOCABULARY = ['arbete', 'etablering', 'integration', 'sfi', 'bostad', 'halsa_2']
  const text = fc.subarray(VOCABULARY).map((ws) => ws.join(' '))
  const op = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), texts: fc.array(text, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), text }),
    fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('touch' as const) }),
    fc.record({ kind: fc.constant('purge' as const), pick: fc.nat() }),
  )

  it('are always the words of its live rows', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        await sql`delete from themes`.execute(t.db)
        for (const o of ops) {
          const ids = (await sql<{ id: string }>`select id from themes order by id`.execute(t.db)).rows.map((r) => r.id)
          const one = 'pick' in o && ids.length > 0 ? ids[o.pick % ids.length]! : null
          if (o.kind === 'insert') {
            const rows = o.texts.map((s) => (n++, sql`(${`Tema ${n}`}, ${`tema ${n}`}, ${s})`))
            await sql`insert into themes (name, sort_name, search_text) values ${sql.join(rows)}`.execute(t.db)
          } else if (o.kind === 'update' && one) await sql`update themes set search_text = ${o.text} where id = ${one}`.execute(t.db)
          else if (o.kind === 'delete' && one) await sql`update themes set deleted_at = now() where id = ${one}`.execute(t.db)
          else if (o.kind === 'restore' && one) await sql`update themes set deleted_at = null where id = ${one}`.execute(t.db)
          else if (o.kind === 'touch') await sql`update themes set description = 'x'`.execute(t.db)
          else if (o.kind === 'purge' && one) await sql`delete from themes where id = ${one}`.execute(t.db)
        }
        const kept = await words('themes', '%')
        const live = (await sql<{ w: string }>`select distinct w from themes, regexp_split_to_table(search_text, ${WORD_SEPARATORS}) w
          where deleted_at is null and w <> '' order by w`.execute(t.db)).rows.map((r) => r.w)
        expect(kept).toEqual(live)
      }),
      { numRuns: 25 },
    )
  }, 120_000)

  // Many words gone at once (a batch deleted, an import undone) are found in one pass over the table.
  it('are the words of its live rows after a batch of deletes too', async () => {
    await sql`delete from themes`.execute(t.db)
    const rows = Array.from({ length: 150 }, (_, i) => sql`(${`Batch ${i}`}, ${`batch ${i}`}, ${`delad unik${i} annan${i}`})`)
    await sql`insert into themes (name, sort_name, search_text) values ${sql.join(rows)}`.execute(t.db)
    expect(await words('themes', 'unik%')).toHaveLength(150)
    await sql`update themes set deleted_at = now() where name <> 'Batch 7'`.execute(t.db)
    expect(await words('themes', '%')).toEqual(['annan7', 'delad', 'unik7'])
  })
})
