import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/app-env.ts'
import { requireRole } from '../../src/auth/roles.ts'
import { features } from '../../src/features.ts'
import type { Feature } from '../../src/web/plug-in.ts'
import { sectionHandler, sectionRoute, type Section } from '../../src/web/sections.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { sectionHrefs } from '../helpers/sections.ts'

// A feature of the test's own: it adds a section to the organisation page and serves it.
const probeSection: Section = { host: 'organisation', id: 'probe', title: 'nav.projects', path: '/probe/organisation/:id', order: 99 }
const probe: Feature = {
  name: 'probe',
  sections: [probeSection],
  routes: new Hono<AppEnv>().get(
    sectionRoute(probeSection),
    requireRole('viewer'),
    sectionHandler(probeSection, 'projects/_organisation', async () => ({ projects: [] })),
  ),
}

let t: TestApp
let withProbe: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let viewer: Awaited<ReturnType<TestApp['browser']>>
let org: { id: string }
let person: { id: string }
let shielded: { id: string }

beforeAll(async () => {
  t = await testApp()
  withProbe = await testApp({}, undefined, [...features, probe])
  editor = await t.browser('editor')
  viewer = await t.browser('viewer')
  const token = await t.apiToken('editor')
  const create = async (path: string, body: object) => (await t.request(path, jsonRequest('POST', body, token.headers))).json()
  org = await create('/api/v1/organisations', { name: 'Värdkommunen', kind: 'municipality' })
  person = await create('/api/v1/contacts', { first_name: 'Vera', last_name: 'Värdsson' })
  shielded = await create('/api/v1/contacts', { first_name: 'Sigge', last_name: 'Skyddsson', protected_identity: true })
})
afterAll(async () => {
  await t.close()
  await withProbe.close()
})

const html = async (app: TestApp, path: string, cookie: string) => (await app.request(path, { headers: { cookie } })).text()

describe('sections of record pages, served by the features they belong to', () => {
  it('the organisation page loads each section from its feature with htmx, a plain link without script', async () => {
    const page = await html(t, `/organisations/${org.id}`, viewer.cookie)
    expect(sectionHrefs(page)).toEqual([
      `/bodies/seats/organisation/${org.id}`,
      `/relationships/organisation/${org.id}`,
      `/alliances/organisation/${org.id}`,
      `/projects/organisation/${org.id}`,
    ])
    expect(page).toContain(`<div id="section-alliances" class="section-slot" hx-get="/alliances/organisation/${org.id}" hx-trigger="load" hx-swap="innerHTML">`)
    expect(page).toContain(`<h2><a href="/alliances/organisation/${org.id}">Allianser</a></h2>`)
    // What the section's route answers htmx: the section alone.
    const fragment = await (await t.request(`/alliances/organisation/${org.id}`, { headers: { cookie: viewer.cookie, 'HX-Request': 'true' } })).text()
    expect(fragment).toContain('<section aria-labelledby="alliances-h" class="card org-alliances">')
    expect(fragment).not.toContain('<html')
    // And a browser without script: a page of its own, headed by the organisation and linking back.
    const own = await html(t, `/alliances/organisation/${org.id}`, viewer.cookie)
    expect(own).toContain('<html')
    expect(own).toContain(`<h1><a href="/organisations/${org.id}">Värdkommunen</a></h1>`)
    expect(own).toContain('<section aria-labelledby="alliances-h" class="card org-alliances">')
  })

  it('the contact page shows the seats to everyone, the consents to editors only', async () => {
    expect(sectionHrefs(await html(t, `/contacts/${person.id}`, viewer.cookie))).toEqual([`/bodies/seats/contact/${person.id}`])
    expect(sectionHrefs(await html(t, `/contacts/${person.id}`, editor.cookie))).toEqual([`/bodies/seats/contact/${person.id}`, `/privacy/consents/contact/${person.id}`])
    expect((await t.request(`/privacy/consents/contact/${person.id}`, { headers: { cookie: viewer.cookie } })).status).toBe(403)
  })

  it('a section asks its host whether the reader may see the record: 404 for one gone or hidden', async () => {
    const status = async (path: string, cookie: string) => (await t.request(path, { headers: { cookie, 'HX-Request': 'true' } })).status
    expect(await status(`/projects/organisation/${crypto.randomUUID()}`, viewer.cookie)).toBe(404)
    expect(await status(`/bodies/seats/contact/${shielded.id}`, viewer.cookie)).toBe(404)
    expect(await status(`/bodies/seats/contact/${person.id}`, viewer.cookie)).toBe(200)
  })

  it('a feature adds a section to the organisation page by registering it, the host page unchanged', async () => {
    const without = await html(t, `/organisations/${org.id}`, viewer.cookie)
    expect(without).not.toContain('/probe/')
    const cookie = (await withProbe.browser('viewer')).cookie
    const token = await withProbe.apiToken('editor')
    const there = await (await withProbe.request('/api/v1/organisations', jsonRequest('POST', { name: 'Provkommunen', kind: 'municipality' }, token.headers))).json()
    const page = await html(withProbe, `/organisations/${there.id}`, cookie)
    expect(sectionHrefs(page).at(-1)).toBe(`/probe/organisation/${there.id}`)
    const fragment = await (await withProbe.request(`/probe/organisation/${there.id}`, { headers: { cookie, 'HX-Request': 'true' } })).text()
    expect(fragment).toContain('<section aria-labelledby="org-projects-h" class="card org-projects">')
  })

  it('the host pages name no feature whose section they show', () => {
    const root = join(import.meta.dirname, '../..')
    const guests = ['alliances', 'bodies', 'projects', 'relationships', 'consents', 'seats']
    for (const file of ['src/organisations/organisations.routes.ts', 'views/organisations/show.eta', 'src/contacts/contacts.routes.ts', 'views/contacts/show.eta']) {
      const text = readFileSync(join(root, file), 'utf8')
      expect(guests.filter((g) => text.includes(`/${g}/`) || text.includes(`${g}.repo`) || text.includes(`'/${g}`)), file).toEqual([])
    }
  })
})
