import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { acceptMapping, countAfter, countRows, get, importFile, orgNumber, upload } from './import-helpers.ts'

let t: TestApp
let cookie: string
let jonkoping: string
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('editor')).cookie
  await importFile(t, cookie, 'organisations', `Namn;Typ;Organisationsnummer\r\nJönköpings kommun;municipality;${orgNumber('212000053')}\r\nRöda Korset;ngo;${orgNumber('802002433')}\r\n`)
  jonkoping = (await t.db.selectFrom('organisations').select('id').where('name', '=', 'Jönköpings kommun').executeTakeFirstOrThrow()).id
})
afterAll(() => t.close())

const contact = (email: string) => t.db.selectFrom('contacts').selectAll().where('email', '=', email).executeTakeFirstOrThrow()

describe('CSV import of contacts', () => {
  it('creates people with their organisation, found by name or organisation number', async () => {
    const text = `Förnamn;Efternamn;E-post;Telefon;Organisation;Roll\r\n` +
      `Åsa;Lindqvist;asa.lindqvist@example.se;036-10 50 00;jönköpings kommun;Integrationssamordnare\r\n` +
      `Örjan;Bäck;orjan.back@example.se;;${orgNumber('802002433')};\r\n`
    const { report } = await importFile(t, cookie, 'contacts', iconv.encode(text, 'win1252'))
    expect(countAfter(report, 'Skapade')).toBe(2)
    const asa = await contact('asa.lindqvist@example.se')
    expect(asa).toMatchObject({ first_name: 'Åsa', last_name: 'Lindqvist' })
    expect(asa.phone).toMatch(/^\+4636/)
    const links = await t.db.selectFrom('affiliations').selectAll().where('contact_id', '=', asa.id).execute()
    expect(links).toMatchObject([{ organisation_id: jonkoping, role: 'Integrationssamordnare', is_primary: true }])
    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', asa.id).execute()
    expect(audit.map((a) => a.action)).toEqual(['create'])
  })

  it('writes the same audit entry for an imported person as the API would', async () => {
    const api = await t.apiToken('editor')
    const body = { first_name: 'Leyla', last_name: 'Sjöberg', email: 'leyla.sjoberg@example.se', title: 'Handläggare', affiliations: [{ organisation_id: jonkoping, role: 'Samordnare' }] }
    const viaApi = (await (await t.request('/api/v1/contacts', jsonRequest('POST', body, api.headers))).json()).id
    await importFile(t, cookie, 'contacts', 'Förnamn;Efternamn;E-post;Titel;Organisation;Roll\r\nJussi;Sjöberg;jussi.sjoberg@example.se;Handläggare;Jönköpings kommun;Samordnare\r\n')
    const viaImport = (await contact('jussi.sjoberg@example.se')).id
    const changes = async (id: string) => (await t.db.selectFrom('audit_log').select('changes').where('entity_id', '=', id).executeTakeFirstOrThrow()).changes
    const [a, b] = [await changes(viaApi), await changes(viaImport)]
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort())
    expect(b.affiliations).toEqual(a.affiliations)
    expect(b.sort_name).toBeUndefined()
  })

  it('splits a single name column and updates the person with the same e-mail address', async () => {
    const { report } = await importFile(t, cookie, 'contacts', 'Namn,E-post,Titel\r\nÅsa Lindqvist,ASA.LINDQVIST@example.se,Enhetschef\r\nKarin Ödman,karin.odman@example.se,\r\n')
    expect(countAfter(report, 'Uppdaterade')).toBe(1)
    expect(countAfter(report, 'Skapade')).toBe(1)
    expect((await contact('asa.lindqvist@example.se')).title).toBe('Enhetschef')
    expect(await contact('karin.odman@example.se')).toMatchObject({ first_name: 'Karin', last_name: 'Ödman' })
  })

  it('creates nothing new when the same file comes again', async () => {
    const csv = 'Förnamn;Efternamn;E-post;Organisation\r\nPer;Öberg;per.oberg@example.se;Röda Korset\r\nMaja;Fältskär;;Röda Korset\r\n'
    await importFile(t, cookie, 'contacts', csv)
    const before = [await countRows(t, 'contacts'), await countRows(t, 'affiliations'), await countRows(t, 'audit_log')]
    const { report } = await importFile(t, cookie, 'contacts', csv)
    expect(countAfter(report, 'Oförändrade \\(fanns redan\\)')).toBe(2)
    expect([await countRows(t, 'contacts'), await countRows(t, 'affiliations'), await countRows(t, 'audit_log')]).toEqual(before)
  })

  it('shows an unknown organisation and a bad e-mail address next to the row', async () => {
    const id = await upload(t, cookie, 'contacts', 'Förnamn;Efternamn;E-post;Organisation\r\nNils;Holm;inte-en-adress;\r\nLena;Ek;lena.ek@example.se;Okända verket\r\n')
    await acceptMapping(t, cookie, id)
    const { html } = await get(t, cookie, `/import/${id}/preview`)
    expect(html).toContain('E-post: Ange en giltig e-postadress.')
    expect(html).toContain('Organisation: Organisationen Okända verket finns inte i registret.')
  })

  it('offers a person with a similar name and no e-mail address as a possible duplicate', async () => {
    const id = await upload(t, cookie, 'contacts', 'Förnamn;Efternamn;Titel\r\nAsa;Lindqvist;Chef\r\n')
    await acceptMapping(t, cookie, id)
    const { html } = await get(t, cookie, `/import/${id}/preview`)
    expect(html).toContain('Möjliga dubbletter (1)')
    expect(html).toContain('Slå ihop med Åsa Lindqvist')
  })
})
