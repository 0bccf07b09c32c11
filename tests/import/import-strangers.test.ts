import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { acceptMapping, countAfter, get, importFile, selectedValues, upload } from './import-helpers.ts'

// Real public organisations; every person is fictional (example.se/.org, 070-174 06 xx).
let t: TestApp
let cookie: string
let raddaBarnen: string
let asa: { id: string; version: number }
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('editor')).cookie
  await importFile(t, cookie, 'organisations', 'Namn;Typ;Webbplats\r\nRädda Barnen;ngo;www.raddabarnen.se\r\nStockholms Stadsmission;ngo;\r\n')
  raddaBarnen = (await t.db.selectFrom('organisations').select('id').where('name', '=', 'Rädda Barnen').executeTakeFirstOrThrow()).id
  const api = await t.apiToken('editor')
  const res = await t.request('/api/v1/contacts', jsonRequest('POST', {
    first_name: 'Åsa', last_name: 'Lindström', email: 'asa.lindstrom@example.se', title: 'Verksamhetschef',
    phone: '070-174 06 11', county: 'Stockholms län', affiliations: [{ organisation_id: raddaBarnen, role: 'Chef' }],
  }, api.headers))
  expect(res.status).toBe(201)
  asa = await res.json()
})
afterAll(() => t.close())

const stored = (id: string) => t.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('an import row that matches an existing record by name only', () => {
  it('creates a new person instead of overwriting a namesake at another organisation', async () => {
    const csv = 'Förnamn;Efternamn;E-post;Titel;Telefon;Län;Organisation\r\n' +
      'Åsa;Lindström;asa.lindstrom@example.org;Projektledare;070-174 06 22;Skåne län;Stockholms Stadsmission\r\n'
    const id = await upload(t, cookie, 'contacts', csv)
    await acceptMapping(t, cookie, id)
    const preview = await get(t, cookie, `/import/${id}/preview`)
    // Offered as a suggestion, with "create" chosen.
    expect(preview.html).toContain('Möjliga dubbletter (1)')
    expect(preview.html).toContain(`<option value="update:${asa.id}">Slå ihop med Åsa Lindström</option>`)
    expect(selectedValues(preview.html).row_2).toBe('create')

    const { report } = await importFile(t, cookie, 'contacts', csv)
    expect(countAfter(report, 'Skapade')).toBe(1)
    expect(countAfter(report, 'Uppdaterade')).toBe(0)
    const kept = await stored(asa.id)
    expect(kept).toMatchObject({ email: 'asa.lindstrom@example.se', title: 'Verksamhetschef', county: 'Stockholms län', version: asa.version })
    expect(kept.phone).toMatch(/^\+46701740611$/)
    const namesakes = await t.db.selectFrom('contacts').selectAll().where('last_name', '=', 'Lindström').where('deleted_at', 'is', null).execute()
    expect(namesakes.map((c) => c.email).sort()).toEqual(['asa.lindstrom@example.org', 'asa.lindstrom@example.se'])
  })

  it('creates a new organisation rather than overwriting one with the same name', async () => {
    const { report } = await importFile(t, cookie, 'organisations', 'Namn;Typ;Webbplats\r\nRädda Barnen;ngo;www.example.org/radda\r\n')
    expect(countAfter(report, 'Uppdaterade')).toBe(0)
    const original = await t.db.selectFrom('organisations').selectAll().where('id', '=', raddaBarnen).executeTakeFirstOrThrow()
    expect(original).toMatchObject({ website: 'https://www.raddabarnen.se/', version: 1 })
  })

  it('merges into the namesake only when the user picks that record for the row', async () => {
    const csv = 'Förnamn;Efternamn;Titel\r\nÅsa;Lindström;Generalsekreterare\r\n'
    const { report } = await importFile(t, cookie, 'contacts', csv, { row_2: `update:${asa.id}` })
    expect(countAfter(report, 'Uppdaterade')).toBe(1)
    expect((await stored(asa.id)).title).toBe('Generalsekreterare')
  })

  it('still updates the person with the same e-mail address by default', async () => {
    const before = await stored(asa.id)
    const { report } = await importFile(t, cookie, 'contacts', 'Förnamn;Efternamn;E-post;Titel\r\nÅsa;Lindström;ASA.LINDSTROM@example.se;Ordförande\r\n')
    expect(countAfter(report, 'Uppdaterade')).toBe(1)
    expect(await stored(asa.id)).toMatchObject({ title: 'Ordförande', version: before.version + 1 })
  })
})
