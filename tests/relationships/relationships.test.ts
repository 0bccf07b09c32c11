import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { pageWithSections } from '../helpers/sections.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let viewer: Awaited<ReturnType<TestApp['apiToken']>>
let browser: Awaited<ReturnType<TestApp['browser']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  viewer = await t.apiToken('viewer')
  browser = await t.browser('editor')
})
afterAll(() => t.close())

const PATH = '/api/v1/organisation-relationships'
const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}
const organisation = (name: string) => create('/api/v1/organisations', { name, kind: 'authority' })
const page = (path: string, lang = 'sv', cookie = browser.cookie) => pageWithSections(t.request, path, { headers: { cookie: `${cookie}; lang=${lang}` } })
const post = (path: string, fields: Record<string, string>, cookie = browser.cookie, headers: Record<string, string> = {}) => {
  const init = formPost(fields, cookie)
  return t.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } })
}
/** The relationships section of an organisation page. */
const relations = (html: string) => html.split('<h2 id="relationships-h">')[1]?.split('<h3 id="relationship-add-h">')[0] ?? ''
const fieldsOf = async (res: Response) => (await res.json()).error.fields as Record<string, string>

describe('organisation relationships', () => {
  it('shows a relationship on both organisations with the wording of each side, in Swedish and English', async () => {
    const [esf, up] = [await organisation('Svenska ESF-rådet'), await organisation('UP Vägen in')]
    const wording: Record<string, [string, string, string, string]> = {
      funds: ['finansierar', 'finansieras av', 'funds', 'funded by'],
      reports_to: ['rapporterar till', 'tar emot rapporter från', 'reports to', 'receives reports from'],
      partner_of: ['partner till', 'partner till', 'partner of', 'partner of'],
      member_of: ['medlem i', 'har som medlem', 'member of', 'has as member'],
      advises: ['ger råd till', 'får råd av', 'advises', 'advised by'],
    }
    let year = 2000
    for (const [type, [svFrom, svTo, enFrom, enTo]] of Object.entries(wording)) {
      const [from, to] = [await organisation(`Från ${type}`), await organisation(`Till ${type}`)]
      await create(PATH, { from_organisation_id: from.id, to_organisation_id: to.id, type, start_date: `${year++}-01-01`, note: 'Enligt avtal' })
      expect(relations(await (await page(`/organisations/${from.id}`)).text())).toContain(`${svFrom} <a href="/organisations/${to.id}">Till ${type}</a>`)
      expect(relations(await (await page(`/organisations/${to.id}`)).text())).toContain(`${svTo} <a href="/organisations/${from.id}">Från ${type}</a>`)
      expect(relations(await (await page(`/organisations/${from.id}`, 'en')).text())).toContain(`${enFrom} <a href="/organisations/${to.id}">Till ${type}</a>`)
      expect(relations(await (await page(`/organisations/${to.id}`, 'en')).text())).toContain(`${enTo} <a href="/organisations/${from.id}">Från ${type}</a>`)
    }
    const r = await create(PATH, { from_organisation_id: esf.id, to_organisation_id: up.id, type: 'funds', start_date: '2002-01-01', end_date: '2005-12-31' })
    expect(r).toMatchObject({ type: 'funds', start_date: '2002-01-01', end_date: '2005-12-31', note: null, version: 1 })
    const upPage = relations(await (await page(`/organisations/${up.id}`)).text())
    expect(upPage).toContain(`finansieras av <a href="/organisations/${esf.id}">Svenska ESF-rådet</a> <span class="muted nowrap">(2002-01-01–2005-12-31)</span>`)
  })

  it('refuses a relationship of an organisation with itself', async () => {
    const o = await organisation('Integrationsverket')
    const res = await api('POST', PATH, { from_organisation_id: o.id, to_organisation_id: o.id, type: 'advises' })
    expect(res.status).toBe(400)
    expect((await fieldsOf(res)).to_organisation_id).toBe('En organisation kan inte ha en relation till sig själv.')
  })

  it('refuses the same relationship over an overlapping period, open ends included, and allows a later one', async () => {
    const [a, b] = [await organisation('Länsstyrelsen i Gävleborgs län'), await organisation('Gävle kommun')]
    const base = { from_organisation_id: a.id, to_organisation_id: b.id, type: 'funds' }
    await create(PATH, { ...base, start_date: '2003-01-01', end_date: '2004-12-31' })
    for (const period of [{ start_date: '2004-12-31' }, { end_date: '2003-01-01' }, {}, { start_date: '2003-06-01', end_date: '2003-07-01' }]) {
      const res = await api('POST', PATH, { ...base, ...period })
      expect(res.status, JSON.stringify(period)).toBe(400)
      expect((await fieldsOf(res)).start_date).toBe('Det finns redan en sådan relation mellan organisationerna under en period som överlappar den här.')
    }
    await create(PATH, { ...base, start_date: '2005-01-01' })
    // The other direction and another type are other relationships.
    await create(PATH, { ...base, from_organisation_id: b.id, to_organisation_id: a.id, start_date: '2003-01-01' })
    await create(PATH, { ...base, type: 'advises', start_date: '2003-01-01' })
  })

  it('treats partner_of as the same both ways round when looking for a duplicate', async () => {
    const [a, b] = [await organisation('Malmö stad'), await organisation('Malmö högskola')]
    await create(PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'partner_of', start_date: '2004-01-01' })
    const reversed = await api('POST', PATH, { from_organisation_id: b.id, to_organisation_id: a.id, type: 'partner_of', start_date: '2010-01-01' })
    expect(reversed.status).toBe(400)
    expect(Object.keys(await fieldsOf(reversed))).toEqual(['start_date'])
    await create(PATH, { from_organisation_id: b.id, to_organisation_id: a.id, type: 'partner_of', end_date: '2003-12-31' })
  })

  it('refuses an unknown field, a deleted organisation and an end before the start', async () => {
    const [a, b] = [await organisation('Migrationsverket'), await organisation('Arbetsförmedlingen')]
    expect((await api('POST', PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'funds', weight: 3 })).status).toBe(400)
    const backwards = await api('POST', PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'funds', start_date: '2005-01-01', end_date: '2004-01-01' })
    expect((await fieldsOf(backwards)).end_date).toBe('Slutdatumet kan inte vara före startdatumet.')
    await api('DELETE', `/api/v1/organisations/${b.id}`)
    const gone = await api('POST', PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'funds' })
    expect((await fieldsOf(gone)).to_organisation_id).toBeDefined()
  })

  it('updates with a version, checks the result as a whole, answers a stale version with 409', async () => {
    const [a, b] = [await organisation('Socialstyrelsen'), await organisation('Sveriges Kommuner och Regioner')]
    const first = await create(PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'advises', start_date: '2002-01-01', end_date: '2002-12-31' })
    const second = await create(PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'advises', start_date: '2004-01-01' })
    const clash = await api('PATCH', `${PATH}/${second.id}`, { version: 1, start_date: '2002-06-01' })
    expect(clash.status).toBe(400)
    const self = await api('PATCH', `${PATH}/${second.id}`, { version: 1, to_organisation_id: a.id })
    expect((await fieldsOf(self)).to_organisation_id).toBeDefined()
    const ok = await api('PATCH', `${PATH}/${first.id}`, { version: 1, end_date: '2003-12-31', note: 'Förlängt' })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ version: 2, end_date: '2003-12-31', note: 'Förlängt', start_date: '2002-01-01' })
    const stale = await api('PATCH', `${PATH}/${first.id}`, { version: 1, note: 'Något annat' })
    expect(stale.status).toBe(409)
    expect((await (await api('GET', `${PATH}/${first.id}`)).json()).note).toBe('Förlängt')
  })

  it('lists by organisation on either side and by type, for a viewer too, and exports CSV', async () => {
    const [a, b, c] = [await organisation('Rikspolisstyrelsen'), await organisation('Polismyndigheten i Skåne'), await organisation('Brottsofferjouren')]
    const r1 = await create(PATH, { from_organisation_id: b.id, to_organisation_id: a.id, type: 'reports_to' })
    const r2 = await create(PATH, { from_organisation_id: a.id, to_organisation_id: c.id, type: 'funds' })
    const ids = async (q: string) => ((await (await api('GET', `${PATH}?${q}`, undefined, viewer)).json()).data as { id: string }[]).map((r) => r.id)
    expect(await ids(`organisation_id=${a.id}`)).toEqual([r1.id, r2.id])
    expect(await ids(`organisation_id=${c.id}`)).toEqual([r2.id])
    expect(await ids(`organisation_id=${a.id}&type=reports_to`)).toEqual([r1.id])
    const page1 = await (await api('GET', `${PATH}?organisation_id=${a.id}&limit=1`)).json()
    expect(page1.data.map((r: { id: string }) => r.id)).toEqual([r1.id])
    const page2 = await (await api('GET', `${PATH}?organisation_id=${a.id}&limit=1&cursor=${page1.next_cursor}`)).json()
    expect(page2.data.map((r: { id: string }) => r.id)).toEqual([r2.id])
    expect(await (await api('GET', `${PATH}?organisation_id=${c.id}&format=csv`)).text()).toContain(`${r2.id},${a.id},${c.id},funds`)
    expect((await api('POST', PATH, { from_organisation_id: a.id, to_organisation_id: c.id, type: 'advises' }, viewer)).status).toBe(403)
  })

  it('deletes softly, only an admin restores (unless a newer one now covers the period), and each step is audited', async () => {
    const [a, b] = [await organisation('Kommunförbundet'), await organisation('Stockholms stad')]
    const r = await create(PATH, { from_organisation_id: b.id, to_organisation_id: a.id, type: 'member_of' })
    expect((await api('DELETE', `${PATH}/${r.id}`)).status).toBe(204)
    expect((await api('GET', `${PATH}/${r.id}`)).status).toBe(404)
    expect((await api('POST', `${PATH}/${r.id}/restore`)).status).toBe(403)
    expect((await api('POST', `${PATH}/${r.id}/restore`, undefined, admin)).status).toBe(200)
    const audit = (await (await api('GET', `/api/v1/audit?entity_type=organisation_relationship&entity_id=${r.id}`, undefined, admin)).json()).data
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['restore', 'delete', 'create'])
    expect((await api('DELETE', `${PATH}/${r.id}`)).status).toBe(204)
    await create(PATH, { from_organisation_id: b.id, to_organisation_id: a.id, type: 'member_of', start_date: '2010-01-01' })
    const blocked = await api('POST', `${PATH}/${r.id}/restore`, undefined, admin)
    expect(blocked.status).toBe(400)
  })
})

describe('relationships on the organisation page', () => {
  it('adds a relationship from the other side ("funded by" makes the reversed row) and removes it', async () => {
    const [up, esf] = [await organisation('UP Integration Jönköping'), await organisation('ESF-rådet Småland')]
    const html = await (await page(`/organisations/${up.id}`)).text()
    expect(html).toContain('<option value="funded_by">UP Integration Jönköping finansieras av …</option>')
    expect(html).toContain(`data-options-url="/organisations/options?format=json&amp;exclude=${up.id}"`)
    const res = await post('/relationships', {
      organisation_id: up.id, relation: 'funded_by', other_organisation_id: esf.id, start_date: '2002-07-01', end_date: '', note: 'Equal-medel', q: '',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/organisations/${up.id}#section-relationships`)
    const rows = (await (await api('GET', `${PATH}?organisation_id=${up.id}`)).json()).data
    expect(rows).toEqual([expect.objectContaining({ from_organisation_id: esf.id, to_organisation_id: up.id, type: 'funds', start_date: '2002-07-01', note: 'Equal-medel' })])
    expect(relations(await (await page(`/organisations/${esf.id}`)).text())).toContain('finansierar <a href')
    const section = relations(await (await page(`/organisations/${up.id}`)).text())
    expect(section).toContain('finansieras av <a href')
    expect(section).toContain('– Equal-medel')
    expect(section).toContain(`href="/relationships/${rows[0].id}/edit?organisation_id=${up.id}"`)
    const removed = await post(`/relationships/${rows[0].id}/delete`, { version: '1', organisation_id: up.id })
    expect(removed.status).toBe(303)
    expect(relations(await (await page(`/organisations/${up.id}`)).text())).toContain('Inga relationer registrerade.')
  })

  it('answers an htmx add with the form again, its errors next to the fields (self, overlap)', async () => {
    const [a, b] = [await organisation('Länsstyrelsen i Kalmar län'), await organisation('Kalmar kommun')]
    const self = await post('/relationships', { organisation_id: a.id, relation: 'advises', other_organisation_id: a.id }, browser.cookie, { 'hx-request': 'true' })
    expect(self.status).toBe(422)
    const html = await self.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('<p class="error" id="f-other_organisation_id-error">En organisation kan inte ha en relation till sig själv.</p>')
    expect(html).toContain('<option value="advises" selected>')
    await create(PATH, { from_organisation_id: b.id, to_organisation_id: a.id, type: 'reports_to', start_date: '2004-01-01' })
    const overlap = await post('/relationships', { organisation_id: a.id, relation: 'receives_reports_from', other_organisation_id: b.id, start_date: '2006-01-01' })
    expect(overlap.status).toBe(422)
    const text = await overlap.text()
    expect(text).toContain('<html')
    expect(text).toContain('<p class="error" id="f-start_date-error">Det finns redan en sådan relation')
    expect(text).toMatch(new RegExp(`organisation_id~organisation" value="Kalmar kommun"[^>]*>[\\s\\S]*?value="${b.id}" data-combobox-value`))
    const missing = await post('/relationships', { organisation_id: a.id, relation: '', other_organisation_id: '' })
    expect(missing.status).toBe(422)
    const body = await missing.text()
    expect(body).toContain('id="f-relation-error"')
    expect(body).toContain('id="f-other_organisation_id-error"')
  })

  it('edits a relationship from the other side, and a stale form says it changed meanwhile', async () => {
    const [a, b] = [await organisation('Uppsala universitet'), await organisation('Uppsala kommun')]
    const r = await create(PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'advises', start_date: '2003-01-01' })
    const edit = await (await page(`/relationships/${r.id}/edit?organisation_id=${b.id}`)).text()
    expect(edit).toContain('<option value="advised_by" selected>Uppsala kommun får råd av …</option>')
    expect(edit).toMatch(new RegExp(`organisation_id~organisation" value="Uppsala universitet"[^>]*>[\\s\\S]*?value="${a.id}" data-combobox-value`))
    const saved = await post(`/relationships/${r.id}`, { version: '1', organisation_id: b.id, relation: 'advised_by', other_organisation_id: a.id, start_date: '2003-01-01', end_date: '2008-12-31' })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/organisations/${b.id}#section-relationships`)
    expect((await (await api('GET', `${PATH}/${r.id}`)).json())).toMatchObject({ from_organisation_id: a.id, end_date: '2008-12-31', version: 2 })
    const stale = await post(`/relationships/${r.id}`, { version: '1', organisation_id: b.id, relation: 'advised_by', other_organisation_id: a.id, start_date: '2003-01-01', note: 'Mitt tillägg' })
    expect(stale.status).toBe(409)
    const html = await stale.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('Mitt tillägg')
    expect(html).toContain('Sparat nu: 2008-12-31')
    expect(html).toContain('name="version" value="2"')
  })

  it('shows an admin the deleted relationships with a restore button, and nobody else', async () => {
    const [a, b] = [await organisation('Länsstyrelsen i Västerbottens län'), await organisation('Umeå kommun')]
    const r = await create(PATH, { from_organisation_id: a.id, to_organisation_id: b.id, type: 'partner_of' })
    await api('DELETE', `${PATH}/${r.id}`)
    expect(await (await page(`/organisations/${a.id}`)).text()).not.toContain(`/relationships/${r.id}/restore`)
    const adminBrowser = await t.browser('admin')
    const html = await (await page(`/organisations/${a.id}`, 'sv', adminBrowser.cookie)).text()
    expect(html).toContain('Borttagna relationer (1)')
    expect((await post(`/relationships/${r.id}/restore`, { organisation_id: a.id }, adminBrowser.cookie)).status).toBe(303)
    expect(relations(await (await page(`/organisations/${b.id}`)).text())).toContain('partner till <a href')
  })
})
