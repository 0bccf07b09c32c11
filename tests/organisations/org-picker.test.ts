import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// The organisation picker (views/partials/org-picker.eta) sends the id and the text the box shows;
// src/web/pick.ts lets the text decide, so a half-typed name is never saved as "no organisation".

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
})
afterAll(() => t.close())

const post = (path: string, fields: Record<string, string>) => t.request(path, formPost(fields, editor.cookie))
const apiCreate = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, token.headers))
  expect(res.status).toBe(201)
  return res.json()
}
const organisation = (name: string, county?: string) => apiCreate('/api/v1/organisations', { name, kind: 'authority', ...(county ? { county } : {}) })
const ORG = 'affiliations.0.organisation_id'
const TEXT = `${ORG}~organisation`
const affiliationsOf = async (location: string) => (await (await t.request(`/api/v1${location}`, jsonRequest('GET', undefined, token.headers))).json()).affiliations

describe('the organisation picker', () => {
  it('refuses a typed name that matches no organisation, next to the field, keeping the text and saving nothing', async () => {
    const res = await post('/contacts', { first_name: 'Nora', last_name: 'Namnlös', [ORG]: '', [TEXT]: 'Finns Inte AB', 'affiliations.0.role': 'Handläggare' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain(`<p class="error" id="f-${ORG}-error">Ingen organisation heter ”Finns Inte AB”. Välj en i listan, eller töm fältet om ingen ska väljas.</p>`)
    expect(html).toMatch(new RegExp(`<input id="f-${ORG}" type="text" name="${TEXT}" value="Finns Inte AB"[^>]*aria-describedby="f-${ORG}-hint f-${ORG}-error" aria-invalid="true"`))
    expect(html).toContain(`<input type="hidden" name="${ORG}" value="" data-combobox-value>`)
    expect(html).toContain(`href="#f-${ORG}"`)
    expect(html).toContain('value="Handläggare"')
    const list = await (await t.request('/api/v1/contacts?q=Namnlös', jsonRequest('GET', undefined, token.headers))).json()
    expect(list.items ?? list.data ?? list).toHaveLength(0)
  })

  it('takes an exactly typed name without a choice (the form without script), ignoring case', async () => {
    const org = await organisation('Länsstyrelsen i Gotlands län', 'Gotlands län')
    const res = await post('/contacts', { first_name: 'Gustav', last_name: 'Gotlänning', [ORG]: '', [TEXT]: 'länsstyrelsen i gotlands län' })
    expect(res.status).toBe(303)
    expect((await affiliationsOf(res.headers.get('location')!)).map((a: { organisation_id: string }) => a.organisation_id)).toEqual([org.id])
  })

  it('lets the text decide: a text that is not the chosen one’s name picks the one it names; an empty text is "none"', async () => {
    const a = await organisation('Region Kalmar län')
    const b = await organisation('Kalmar kommun')
    const res = await post('/contacts', { first_name: 'Kim', last_name: 'Kalmarsund', [ORG]: a.id, [TEXT]: 'Kalmar kommun' })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect((await affiliationsOf(location)).map((x: { organisation_id: string }) => x.organisation_id)).toEqual([b.id])
    const none = await post('/contacts', { first_name: 'Kim', last_name: 'Utanorg', [ORG]: a.id, [TEXT]: '  ' })
    expect(none.status).toBe(303)
    expect(await affiliationsOf(none.headers.get('location')!)).toEqual([])
  })

  it('refuses a name that several organisations have, asking for a choice', async () => {
    await organisation('Folkhögskolan')
    await organisation('Folkhögskolan')
    const res = await post('/contacts', { first_name: 'Fia', last_name: 'Folk', [ORG]: '', [TEXT]: 'Folkhögskolan' })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('Flera organisationer heter ”Folkhögskolan”. Välj den rätta i listan.')
  })

  it('refuses a no-match in another form too (an alliance member row), keeping the row and its number', async () => {
    const lead = await organisation('Länsstyrelsen i Blekinge län')
    const res = await post('/alliances', {
      name: 'Blekingealliansen', status: 'exploring',
      'members.0.organisation_id': lead.id, 'members.0.organisation_id~organisation': 'Länsstyrelsen i Blekinge län', 'members.0.role': 'lead',
      'members.1.organisation_id': '', 'members.1.organisation_id~organisation': 'Blekinge tekniska högsk', 'members.1.role': 'partner',
    })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('<p class="error" id="f-members.1.organisation_id-error">Ingen organisation heter ”Blekinge tekniska högsk”.')
    expect(html).toContain('<legend>Medlem 2</legend>')
    expect(html).toContain('name="members.1.organisation_id~organisation" value="Blekinge tekniska högsk"')
    expect(html).toContain(`name="members.0.organisation_id" value="${lead.id}" data-combobox-value data-member-organisation>`)
  })

  it('offers the picker its choices as JSON with the county, without the organisation itself', async () => {
    const self = await organisation('Kommunförbundet Skåne', 'Skåne län')
    const other = await organisation('Kommunförbundet Stockholm', 'Stockholms län')
    const res = await t.request(`/organisations/options?format=json&q=Kommunförbundet&exclude=${self.id}`, { headers: { cookie: editor.cookie } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ id: other.id, name: 'Kommunförbundet Stockholm', county: 'Stockholms län' }])
  })
})
