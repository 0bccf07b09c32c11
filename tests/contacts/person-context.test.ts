import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// Issue 14: wherever a person is named, their current organisation and county go with the name.
let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
let lst: { id: string }
let mv: { id: string }
let selma: { id: string }
let selma2: { id: string }
let olle: { id: string }

const page = async (path: string) => {
  const res = await t.request(path, { headers: { cookie: editor.cookie } })
  expect(res.status, path).toBe(200)
  return res.text()
}
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, token.headers))
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}

beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
  lst = await create('/api/v1/organisations', { name: 'Länsstyrelsen i Uppsala län', kind: 'county_board', county: 'Uppsala län' })
  mv = await create('/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority', county: 'Skåne län' })
  const former = await create('/api/v1/organisations', { name: 'Arbetsförmedlingen', kind: 'authority' })
  // Two people of the same name: only the context tells them apart.
  selma = await create('/api/v1/contacts', {
    first_name: 'Selma', last_name: 'Abdullahi',
    affiliations: [{ organisation_id: former.id, start_date: '2010-01-01', end_date: '2015-12-31' }, { organisation_id: lst.id, start_date: '2016-01-01' }],
  })
  selma2 = await create('/api/v1/contacts', { first_name: 'Selma', last_name: 'Abdullahi', county: 'Norrbottens län' })
  olle = await create('/api/v1/contacts', { first_name: 'Olle', last_name: 'Abrahamsson', affiliations: [{ organisation_id: mv.id }] })
})
afterAll(() => t.close())

describe('a person in context', () => {
  it('search hits name the current organisation and county', async () => {
    const html = await page('/search?q=Abdullahi')
    expect(html).toContain('Länsstyrelsen i Uppsala län, Uppsala län')
    expect(html).toContain('Norrbottens län')
    expect(html).not.toContain('Arbetsförmedlingen')
  })

  it('person pickers name the current organisation and county', async () => {
    const html = await page('/contacts/options?q=Abdullahi')
    expect(html).toContain('Selma Abdullahi – Länsstyrelsen i Uppsala län, Uppsala län</option>')
    expect(html).toContain('Selma Abdullahi – Norrbottens län</option>')
    const picker = await page('/interactions/picker/contacts?contact_q=Abdullahi')
    expect(picker).toContain('Selma Abdullahi – Länsstyrelsen i Uppsala län, Uppsala län')
  })

  it("a plan's not-reached list names each person's organisation and county", async () => {
    const plan = await create('/api/v1/plans', { name: 'Nå Selma', target: { contact_ids: [selma.id, selma2.id] } })
    const html = await page(`/plans/${plan.id}`)
    const list = html.split('id="not-reached-list"')[1]!.split('</ul>')[0]!
    expect(list).toContain('Selma Abdullahi</a> <span class="person-context">Länsstyrelsen i Uppsala län, Uppsala län</span>')
    expect(list).toContain('<span class="person-context">Norrbottens län</span>')
    expect(list).not.toContain('(Person)')
  })

  it("an activity's participant table fills the Organisation column from where the person works today", async () => {
    const activity = await create('/api/v1/activities', {
      title: 'Seminarium om etablering', start_date: '2026-03-10',
      participants: [{ contact_id: selma.id }, { contact_id: olle.id, organisation_id: lst.id }],
    })
    const html = await page(`/activities/${activity.id}/participants`)
    const table = html.split('class="records participants"')[1]!.split('</table>')[0]!
    expect(table).toContain(`<a href="/organisations/${lst.id}">Länsstyrelsen i Uppsala län</a>, Uppsala län`)
    // Someone who came on behalf of an organisation keeps that one.
    expect(table).toMatch(/Olle Abrahamsson<\/a>.*?<\/td>\s*<td>Länsstyrelsen i Uppsala län<\/td>/s)
    const show = await page(`/activities/${activity.id}`)
    expect(show).toContain('<span class="person-context"><a href="/organisations/')
  })
})

describe("an alliance's contact person", () => {
  it("offers the member organisation's people first, the others in their own group", async () => {
    const html = await page(`/contacts/options?q=Ab&members.0.organisation_id=${mv.id}`)
    const here = html.split('<optgroup label="Arbetar här">')[1]!.split('</optgroup>')[0]!
    expect(here).toContain('Olle Abrahamsson – Migrationsverket, Skåne län')
    expect(here).not.toContain('Selma')
    const elsewhere = html.split('<optgroup label="På andra organisationer">')[1]!.split('</optgroup>')[0]!
    expect(elsewhere).toContain(`<option value="${selma.id}" data-elsewhere>`)
    // No query: only the organisation's own people.
    const own = await page(`/contacts/options?organisation_id=${mv.id}`)
    expect(own).toContain('Olle Abrahamsson')
    expect(own).not.toContain('Selma')
  })

  it('warns on the alliance page and its form when the contact person works elsewhere', async () => {
    const alliance = await create('/api/v1/alliances', {
      name: 'Etablering i Uppsala',
      members: [{ organisation_id: mv.id, role: 'lead', contact_id: selma.id }, { organisation_id: lst.id, role: 'partner', contact_id: selma.id }],
    })
    const html = await page(`/alliances/${alliance.id}`)
    expect(html.match(/Arbetar inte på Migrationsverket i dag/g)).toHaveLength(1)
    expect(html).not.toContain('Arbetar inte på Länsstyrelsen i Uppsala län i dag')
    const form = await page(`/alliances/${alliance.id}/edit`)
    expect(form).toContain(`<option value="${selma.id}" selected data-elsewhere>Selma Abdullahi – Länsstyrelsen i Uppsala län, Uppsala län</option>`)
    expect(form.match(/aria-live="polite">Obs! Personen arbetar inte/g)).toHaveLength(1)
    expect(form).toContain('hx-include="previous [data-member-organisation]"')
  })
})

describe('the employer filled in', () => {
  it('"Add person here" on an organisation page opens the contact form with that organisation chosen', async () => {
    const org = await page(`/organisations/${mv.id}`)
    expect(org).toContain(`<a class="button small" href="/contacts/new?organisation_id=${mv.id}">Lägg till person här</a>`)
    const form = await page(`/contacts/new?organisation_id=${mv.id}`)
    expect(form).toMatch(new RegExp(`organisation_id~organisation" value="Migrationsverket"[^>]*>[\\s\\S]*?value="${mv.id}" data-combobox-value`))
    expect(form).toMatch(/name="affiliations_primary" value="0" id="f-affiliations.0.primary" checked/)
    // An id that is no organisation is left out, not an error.
    expect(await page('/contacts/new?organisation_id=00000000-0000-4000-8000-000000000000')).not.toContain('selected>00000000')
  })

  it("logging a contact with a person ticks the person's current employer", async () => {
    const html = await page(`/interactions/new?contact_id=${selma.id}`)
    expect(html).toMatch(new RegExp(`name="organisation_ids" value="${lst.id}" id="f-organisation_ids-chip-${lst.id}" checked`))
    // Named organisations win.
    const named = await page(`/interactions/new?contact_id=${selma.id}&organisation_id=${mv.id}`)
    expect(named).not.toContain(`value="${lst.id}"`)
  })
})
