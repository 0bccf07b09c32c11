import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContact } from '../../src/contacts/contacts.service.ts'
import { createContact as contactSchema } from '../../src/contacts/contacts.schema.ts'
import { createOrganisation } from '../../src/organisations/organisations.service.ts'
import { createOrganisation as organisationSchema } from '../../src/organisations/organisations.schema.ts'
import { createTheme } from '../../src/themes/themes.service.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let cookie: string
const ids: Record<string, string> = {}

async function org(key: string, fields: Record<string, unknown>) {
  const o = await createOrganisation(t.db, organisationSchema.parse({ name: key, kind: 'authority', ...fields }), { userId: null })
  ids[key] = o.id
}

async function person(key: string, fields: Record<string, unknown>) {
  const [first_name, last_name] = key.split(' ')
  const c = await createContact(t.db, contactSchema.parse({ first_name, last_name, ...fields }), { userId: null })
  ids[key] = c.id
}

beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('viewer')).cookie
  const parent = await createTheme(t.db, { name: 'Arbetsmarknadsintegration', parent_id: null, description: null }, { userId: null })
  const child = await createTheme(t.db, { name: 'Validering', parent_id: parent.id, description: null }, { userId: null })
  ids.parentTheme = parent.id
  await org('Migrationsverket', { influence: 5, interest: 5 })
  await org('Länsstyrelsen i Jönköpings län', { kind: 'county_board', county: 'Jönköpings län', influence: 4, interest: 2 })
  await org('Malmö stad', { kind: 'municipality', influence: 1, interest: 5, theme_ids: [child.id] })
  await org('Sydsvenskan', { kind: 'media', influence: 2, interest: 2 })
  await org('Ej bedömd myndighet', { influence: 3, interest: null })
  await person('Anna Andersson', { influence: 3, interest: 3, affiliations: [{ organisation_id: ids['Länsstyrelsen i Jönköpings län'], primary: true }] })
  await person('Bo Berg', {
    influence: 5, interest: 1,
    affiliations: [{ organisation_id: ids['Länsstyrelsen i Jönköpings län'], start_date: '2001-01-01', end_date: '2005-12-31' }, { organisation_id: ids['Malmö stad'], primary: true }],
  })
  await person('Cecilia Ek', {})
}, 60_000)
afterAll(() => t.close())

const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } })

/** The list of one quadrant, below the map. */
function members(html: string, quadrant: string): string {
  const start = html.indexOf(`id="smap-${quadrant}"`)
  expect(start).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</details>', start))
}

/** The links drawn in the SVG. */
function dots(html: string): string[] {
  const svg = html.slice(html.indexOf('<svg class="smap"'), html.indexOf('</svg>', html.indexOf('<svg class="smap"')))
  return [...svg.matchAll(/<a href="([^"]+)" class="smap-dot">/g)].map((m) => m[1]!)
}

describe('the stakeholder map', () => {
  it('draws an organisation with influence 5 and interest 5 as a link and lists it under Manage closely', async () => {
    const res = await get('/stakeholder-map')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain(`<a href="/organisations/${ids.Migrationsverket}" class="smap-dot"><title>Migrationsverket (organisation): inflytande 5, intresse 5</title>`)
    expect(members(html, 'manage')).toContain(`<a href="/organisations/${ids.Migrationsverket}">Migrationsverket</a>`)
    expect(html).toContain('Hantera nära')
    expect(html).not.toMatch(/<svg[^>]*role="img"/)
  })

  it('puts each record in the quadrant its scores give, high meaning 3 to 5', async () => {
    const html = await (await get('/stakeholder-map')).text()
    expect(members(html, 'satisfy')).toContain('Länsstyrelsen i Jönköpings län')
    expect(members(html, 'satisfy')).toContain(`/contacts/${ids['Bo Berg']}`)
    expect(members(html, 'inform')).toContain('Malmö stad')
    expect(members(html, 'monitor')).toContain('Sydsvenskan')
    expect(members(html, 'manage')).toContain(`/contacts/${ids['Anna Andersson']}`)
    expect(dots(html)).toHaveLength(6)
  })

  it('counts the records without both scores as not assessed and lists them behind a link', async () => {
    const html = await (await get('/stakeholder-map')).text()
    expect(html).toContain('2 poster saknar bedömning')
    expect(html).toContain('href="/stakeholder-map?missing=1"')
    expect(dots(html)).not.toContain(`/organisations/${ids['Ej bedömd myndighet']}`)
    const list = await (await get('/stakeholder-map?missing=1')).text()
    expect(list).toContain(`<a href="/organisations/${ids['Ej bedömd myndighet']}">Ej bedömd myndighet</a>`)
    expect(list).toContain(`<a href="/contacts/${ids['Cecilia Ek']}">Cecilia Ek</a>`)
    expect(list).not.toContain('Migrationsverket</a>')
  })

  it('filters by kind of organisation, counting people by where they work now', async () => {
    const html = await (await get('/stakeholder-map?kind=county_board')).text()
    expect(dots(html).sort()).toEqual([`/contacts/${ids['Anna Andersson']}`, `/organisations/${ids['Länsstyrelsen i Jönköpings län']}`].sort())
  })

  it('filters by theme, sub-themes included, and by type of record', async () => {
    const themed = await (await get(`/stakeholder-map?theme_id=${ids.parentTheme}`)).text()
    expect(dots(themed)).toEqual([`/organisations/${ids['Malmö stad']}`])
    const people = await (await get('/stakeholder-map?type=contact')).text()
    expect(dots(people).every((href) => href.startsWith('/contacts/'))).toBe(true)
    expect(dots(people)).toHaveLength(2)
    expect(people).toContain('1 post saknar bedömning')
  })

  it('answers the filter form from htmx with the results alone', async () => {
    const res = await get('/stakeholder-map?type=organisation', { 'HX-Request': 'true' })
    const html = await res.text()
    expect(html).not.toContain('<html')
    expect(html.trim().startsWith('<div id="smap-results">')).toBe(true)
    expect(dots(html)).toHaveLength(4)
  })

  it('speaks English and uses no inline styles', async () => {
    const html = await (await get('/stakeholder-map', { cookie: `${cookie}; lang=en` })).text()
    for (const label of ['Manage closely', 'Keep satisfied', 'Keep informed', 'Monitor']) expect(html).toContain(label)
    expect(html).not.toMatch(/\sstyle=/)
  })

  it('refuses a filter it does not know', async () => {
    expect((await get('/stakeholder-map?kind=castle')).status).toBe(400)
    expect((await get('/stakeholder-map?colour=red')).status).toBe(400)
  })

  it('is in the main menu', async () => {
    expect(await (await get('/')).text()).toContain('<a href="/stakeholder-map"')
  })
})
