import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, ORIGIN, testApp, type TestApp } from '../helpers/app.ts'

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

// The picker choosing several (views/partials/org-multi-picker.eta): chips are ticked checkboxes
// `organisation_ids`, the box's text comes as `organisation_ids~organisation+` and adds one more.
describe('the organisation picker choosing several', () => {
  const postPairs = (path: string, pairs: [string, string][]) => t.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin', cookie: editor.cookie },
    body: new URLSearchParams(pairs).toString(),
  })
  const api = async (path: string) => (await t.request(`/api/v1${path}`, jsonRequest('GET', undefined, token.headers))).json()
  const ADD = 'organisation_ids~organisation+'
  const meeting = (pairs: [string, string][]) => postPairs('/interactions', [['kind', 'meeting'], ['occurred_on', '2026-11-02'], ['summary', 'Samråd om mottagandet'], ...pairs])

  it('adds an exactly typed name to the ticked ones when a contact is logged without script; an empty box adds nothing', async () => {
    const a = await organisation('Länsstyrelsen i Hallands län', 'Hallands län')
    const b = await organisation('Region Halland', 'Hallands län')
    const res = await meeting([['organisation_ids', a.id], [ADD, '  region halland ']])
    expect(res.status).toBe(303)
    const saved = await api(`${res.headers.get('location')!}`)
    expect([...saved.organisation_ids].sort()).toEqual([a.id, b.id].sort())
    // Typed again although ticked: still once.
    const again = await meeting([['organisation_ids', b.id], [ADD, 'Region Halland']])
    expect((await api(again.headers.get('location')!)).organisation_ids).toEqual([b.id])
    const empty = await meeting([['organisation_ids', a.id], [ADD, '']])
    expect((await api(empty.headers.get('location')!)).organisation_ids).toEqual([a.id])
  })

  it('refuses a name that matches no organisation next to the box, keeping the ticked ones and the text, saving nothing', async () => {
    const a = await organisation('Länsstyrelsen i Jämtlands län', 'Jämtlands län')
    const res = await meeting([['organisation_ids', a.id], [ADD, 'Jämtlands ingenting'], ['summary', 'Ett unikt samråd i Jämtland']])
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('<p class="error" id="f-organisation_ids-error">Ingen organisation heter ”Jämtlands ingenting”. Välj en i listan, eller töm fältet om ingen fler ska läggas till.</p>')
    expect(html).toMatch(/<input id="f-organisation_ids" type="text" name="organisation_ids~organisation\+" value="Jämtlands ingenting"[^>]*role="combobox"[^>]*aria-describedby="f-organisation_ids-hint f-organisation_ids-error" aria-invalid="true"/)
    expect(html).toContain(`name="organisation_ids" value="${a.id}" id="f-organisation_ids-chip-${a.id}" checked data-combobox-chip>`)
    expect(html).toContain('href="#f-organisation_ids"')
    const list = await api('/interactions?q=unikt')
    expect(JSON.stringify(list)).not.toContain('Ett unikt samråd i Jämtland')
  })

  it('is the control for a plan’s target organisations and a segment’s organisation filter too', async () => {
    const org = await organisation('Länsstyrelsen i Västernorrlands län', 'Västernorrlands län')
    for (const path of ['/plans/new', '/segments/new', '/interactions/new']) {
      const html = await (await t.request(path, { headers: { cookie: editor.cookie } })).text()
      expect(html, path).toMatch(/<fieldset class="field combobox combobox-multi" data-combobox data-multiple data-name="organisation_ids"/)
      expect(html, path).toContain('aria-controls="f-organisation_ids-listbox"')
    }
    const plan = await postPairs('/plans', [['name', 'Västernorrland först'], ['status', 'active'], ['qualifying_attendance', 'attended'], [ADD, 'Länsstyrelsen i Västernorrlands län']])
    expect(plan.status).toBe(303)
    expect((await api(plan.headers.get('location')!)).target.organisation_ids).toEqual([org.id])
    const segment = await postPairs('/segments', [['name', 'Västernorrlänningar'], [ADD, 'länsstyrelsen i västernorrlands län']])
    expect(segment.status).toBe(303)
    expect((await api(segment.headers.get('location')!)).filter.organisation_ids).toEqual([org.id])
  })
})
