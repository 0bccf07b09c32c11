import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { importFile } from '../import/import-helpers.ts'

// A GIN index's pending list holds new entries unsorted until a vacuum or a full list merges them,
// and every search or filter through the index reads all of it meanwhile: after a bulk load a
// common word's global search answered 233–263 requests a second instead of 278–323 (bench/README.md,
// *Short GIN pending lists, merged after a bulk load*). The embedded engine never vacuums on its own.
let t: TestApp

beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

it('keeps every GIN index’s pending list short, an index added later too', async () => {
  const { rows } = await sql<{ name: string; options: string[] | null }>`select c.relname as name, c.reloptions as options from pg_class c
    join pg_am a on a.oid = c.relam where a.amname = 'gin' and c.relnamespace = 'public'::regnamespace order by 1`.execute(t.db)
  expect(rows.map((i) => i.name)).toEqual(expect.arrayContaining(['contacts_search', 'contacts_fts', 'contacts_themes', 'activities_search', 'search_words_letters_trgm']))
  expect(rows.filter((i) => !(i.options ?? []).includes('gin_pending_list_limit=64')).map((i) => i.name)).toEqual([])
})

it('leaves nothing waiting in the pending lists of what an import wrote, once it is done', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => `Föreningen Väntelistan ${i + 1};ngo;asyl, mottagande`)
  const { report } = await importFile(t, (await t.browser('editor')).cookie, 'organisations', `Namn;Typ;Taggar\r\n${lines.join('\r\n')}\r\n`)
  expect(report).toContain('300')
  // gin_clean_pending_list merges what waits and says how many pages that was.
  const { rows } = await sql<{ name: string; pages: number }>`select c.relname as name, gin_clean_pending_list(c.oid::regclass) as pages
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
    where a.amname = 'gin' and i.indrelid = any(array['organisations', 'search_words']::regclass[])`.execute(t.db)
  expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['organisations_search', 'organisations_tags', 'search_words_trgm']))
  expect(rows.filter((r) => Number(r.pages) > 0)).toEqual([])
})
