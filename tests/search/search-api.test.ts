import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { searchAll, searchGroups } from '../../src/search/search.service.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { insertContact, insertTheme } from './records.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const ids: Record<string, string> = {}

interface Hit {
  type: string
  id: string
  label: string
  snippet: string
  score: number
  url: string
}

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
async function org(name: string, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await api('POST', '/api/v1/organisations', { name, kind: 'other', ...fields })
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { id: string }).id
}
async function search(query: string): Promise<Hit[]> {
  const res = await api('GET', `/api/v1/search?${query}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return ((await res.json()) as { data: Hit[] }).data
}
const labels = (hits: Hit[]) => hits.map((h) => h.label)

beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  ids.jkpgBoard = await org('Länsstyrelsen i Jönköpings län', { kind: 'county_board', county: 'Jönköpings län' })
  ids.skaneBoard = await org('Länsstyrelsen i Skåne län', { kind: 'county_board', county: 'Skåne län' })
  ids.jkpgKommun = await org('Jönköpings kommun', { kind: 'municipality', county: 'Jönköpings län' })
  ids.lkpgKommun = await org('Linköpings kommun', { kind: 'municipality', county: 'Östergötlands län' })
  ids.mv = await org('Migrationsverket', { kind: 'authority', short_name: 'MV', org_number: '202100-2163' })
  ids.mvSyd = await org('Migrationsverket Region Syd', { kind: 'authority' })
  ids.redCross = await org('Röda Korset', { kind: 'ngo' })
  ids.redCrossYouth = await org('Röda Korsets Ungdomsförbund', { kind: 'ngo' })
  ids.redCrossSv = await org('Svenska Röda Korset', { kind: 'ngo' })
  ids.html = await org('Föreningen <b>Fet</b> & Co', { kind: 'ngo' })
  ids.deleted = await org('Nedlagda Integrationsverket', { kind: 'authority' })
  expect((await api('DELETE', `/api/v1/organisations/${ids.deleted}`)).status).toBe(204)
  ids.merged = await org('Sammanslagna Integrationsverket', { kind: 'authority' })
  await t.db.updateTable('organisations').set({ merged_into_id: ids.mv }).where('id', '=', ids.merged).execute()

  ids.maja = await insertContact(t.db, { first_name: 'Maja', last_name: 'Testsson', email: 'maja.testsson@exempel.se', title: 'Integrationssamordnare' })
  ids.majaOther = await insertContact(t.db, { first_name: 'Majken', last_name: 'Exempelsdotter', email: 'majken@exempel.se', title: 'Handläggare hos maja.testsson@exempel.se-gruppen' })
  ids.goneContact = await insertContact(t.db, { first_name: 'Borttagen', last_name: 'Påhittadsson', deleted: true })
  ids.erased = await insertContact(t.db, { last_name: 'Raderadsson', erased: true })
  ids.theme = await insertTheme(t.db, { name: 'Mottagning av asylsökande', description: 'Boende och introduktion under asyltiden.' })
})
afterAll(() => t.close())

describe('GET /api/v1/search', () => {
  it('finds the county board by its Swedish name in another inflection (stemming)', async () => {
    expect(labels(await search('q=l%C3%A4nsstyrelsen'))).toEqual(expect.arrayContaining(['Länsstyrelsen i Jönköpings län', 'Länsstyrelsen i Skåne län']))
    expect(labels(await search('q=l%C3%A4nsstyrelser'))).toContain('Länsstyrelsen i Jönköpings län')
  })

  it('finds Jönköping when typed without accents', async () => {
    const hits = await search('q=jonkoping')
    expect(labels(hits)).toEqual(expect.arrayContaining(['Jönköpings kommun', 'Länsstyrelsen i Jönköpings län']))
  })

  it('ignores case', async () => {
    expect((await search('q=MIGRATIONSVERKET'))[0]!.id).toBe(ids.mv)
  })

  it('tolerates a typo', async () => {
    expect(labels(await search('q=Migrationsverkt'))).toContain('Migrationsverket')
  })

  it('ranks the closer of two names a typo away first', async () => {
    // Both are a letter away from "lnkopings kommun"; Linköping is the closer, though J sorts first.
    const hits = await search('q=lnkopings%20kommun&types=organisation')
    expect(hits.map((h) => h.id).slice(0, 2)).toEqual([ids.lkpgKommun, ids.jkpgKommun])
  })

  it('ranks the exact name first, then names that start with the words, then names that contain them', async () => {
    const hits = await search('q=r%C3%B6da%20korset&types=organisation')
    expect(hits.map((h) => h.id)).toEqual([ids.redCross, ids.redCrossYouth, ids.redCrossSv])
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score)
    expect(hits[1]!.score).toBeGreaterThan(hits[2]!.score)
    expect((await search('q=migrationsverket')).slice(0, 2).map((h) => h.id)).toEqual([ids.mv, ids.mvSyd])
  })

  it('ranks the contact whose e-mail is exactly the query above one that only mentions it', async () => {
    const hits = await search('q=maja.testsson%40exempel.se')
    expect(hits[0]).toMatchObject({ type: 'contact', id: ids.maja, label: 'Maja Testsson' })
    expect(hits.map((h) => h.id)).toContain(ids.majaOther)
  })

  it('finds an organisation by its short name and organisation number', async () => {
    expect((await search('q=MV'))[0]!.id).toBe(ids.mv)
    expect((await search('q=202100-2163'))[0]!.id).toBe(ids.mv)
  })

  it('labels a contact "First Last" and shows the title and e-mail in the snippet', async () => {
    const [hit] = await search('q=testsson&types=contact')
    expect(hit).toMatchObject({ type: 'contact', id: ids.maja, label: 'Maja Testsson' })
    expect(hit!.snippet).toBe('Maja Testsson · Integrationssamordnare · maja.testsson@exempel.se')
  })

  it('finds a theme by a word of its name without accents, with the description in the snippet', async () => {
    const hits = await search('q=asylsokande')
    expect(hits[0]).toMatchObject({ type: 'theme', id: ids.theme, label: 'Mottagning av asylsökande' })
    expect(hits[0]!.snippet).toContain('Boende och introduktion')
  })

  it('searches only the types asked for, comma-separated or repeated', async () => {
    const all = await search('q=maja')
    expect(new Set(all.map((h) => h.type))).toEqual(new Set(['contact']))
    expect(await search('q=maja&types=organisation,theme')).toEqual([])
    const both = await search('q=j%C3%B6nk%C3%B6ping&types=organisation&types=contact')
    expect(both.length).toBeGreaterThan(0)
    expect(both.every((h) => h.type === 'organisation')).toBe(true)
  })

  it('refuses an unknown type with a validation error', async () => {
    const res = await api('GET', '/api/v1/search?q=x&types=spaceship')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'validation', fields: { types: expect.any(String) } } })
  })

  it('leaves out deleted and merged organisations, and deleted and erased contacts', async () => {
    const found = (await search('q=integrationsverket')).map((h) => h.id)
    expect(found).not.toContain(ids.deleted)
    expect(found).not.toContain(ids.merged)
    expect((await search('q=p%C3%A5hittadsson')).map((h) => h.id)).not.toContain(ids.goneContact)
    expect((await search('q=raderadsson')).map((h) => h.id)).not.toContain(ids.erased)
  })

  it('keeps markup in a name as plain text in the JSON snippet', async () => {
    const [hit] = await search('q=fet')
    expect(hit).toMatchObject({ id: ids.html, label: 'Föreningen <b>Fet</b> & Co', snippet: 'Föreningen <b>Fet</b> & Co' })
  })

  it('answers an empty query with no results, and each hit with the contract fields', async () => {
    expect(await search('q=')).toEqual([])
    expect(await search('')).toEqual([])
    const [hit] = await search('q=migrationsverket')
    expect(Object.keys(hit!).sort()).toEqual(['id', 'label', 'score', 'snippet', 'type', 'url'])
    expect(hit!.url).toBe(`/organisations/${ids.mv}`)
  })

  it('answers odd input calmly: punctuation, stop words, LIKE wildcards, quotes', async () => {
    // The last: forty words, each a typo (only the first few are corrected; the rest match as typed).
    for (const q of ['!!', 'och i på', '%_\\', '"röda korset" -ungdom', "o'brien", 'a', Array.from({ length: 40 }, (_, i) => `migrationsverkt${i}`).join(' ').slice(0, 200)]) {
      const res = await api('GET', `/api/v1/search?q=${encodeURIComponent(q)}`)
      expect(res.status, q).toBe(200)
    }
    expect(await search(`q=${encodeURIComponent('%_')}`)).toEqual([])
  })

  it('asks the database once for every type’s precise matches, once for the corrections of a typo, and once for the records holding them', async () => {
    // On the embedded engine every statement waits its turn behind every other request's: a
    // search of nine types in eighteen statements waited eighteen turns under load.
    // transformResult runs once per statement run (transformQuery also for every subquery in one).
    const statements: unknown[] = []
    const counted = t.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => (statements.push(args.queryId), args.result),
    })
    // Nothing is a typo of "Jönköping" that does not hold it: no typo matches to read.
    const hits = await searchAll(counted, 'Jönköping', [], 20)
    expect(hits.map((h) => h.label)).toContain('Jönköpings kommun')
    expect(statements).toHaveLength(2)
    statements.length = 0
    // "Migrationsverkt" is corrected to "migrationsverket", whose records are then read.
    expect((await searchAll(counted, 'Migrationsverkt', [], 20)).map((h) => h.label)).toContain('Migrationsverket')
    expect(statements).toHaveLength(3)
    statements.length = 0
    await searchAll(counted, 'Jönkoping', ['organisation'], 20)
    expect(statements).toHaveLength(2)
  })

  it('adds no typo matches when the query names a record exactly', async () => {
    // Jönköpings kommun is a letter away from Linköpings kommun: a correction for "Lnköpings
    // kommun", noise for someone who typed Linköpings kommun as it is named.
    expect(labels(await search(`q=${encodeURIComponent('Linköpings kommun')}`))).toEqual(['Linköpings kommun'])
    expect(labels(await search(`q=${encodeURIComponent('Lnköpings kommun')}`))).toEqual(expect.arrayContaining(['Linköpings kommun', 'Jönköpings kommun']))
  })

  it('adds no typo matches of other types when the query found plenty as typed (as a list does)', async () => {
    // "Vattenrådt" is a typo of "vattenrådet" to the search, and holds no "vattenrådet" as typed.
    const near = await insertContact(t.db, { first_name: 'Vera', last_name: 'Vattenrådt' })
    const councils = []
    for (let i = 1; i <= 19; i++) councils.push(await org(`Vattenrådet för delområde ${i}`))
    // The search page's groups: nineteen councils found as typed, and the person a typo away.
    const groups = async () => Object.fromEntries((await searchGroups(t.db, 'vattenrådet', [])).map((g) => [g.source.type, g.hits.map((h) => h.id)]))
    const few = await groups()
    expect(few.organisation).toHaveLength(19)
    expect(few.contact).toEqual([near])
    // Twenty found as typed: the search is answered, and no corrections are looked up.
    councils.push(await org('Vattenrådet för delområde 20'))
    const plenty = await groups()
    expect(plenty.organisation).toHaveLength(20)
    expect(plenty.contact).toBeUndefined()
    for (const id of councils) expect((await api('DELETE', `/api/v1/organisations/${id}`)).status).toBe(204)
  })

  it('caps the answer at the limit, best first', async () => {
    const hits = await search('q=l%C3%A4n&limit=2')
    expect(hits.length).toBeLessThanOrEqual(2)
    const scores = (await search('q=j%C3%B6nk%C3%B6ping')).map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })
})
