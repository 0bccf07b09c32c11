import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}
/** A visitor with no account: no cookie at all. */
const visit = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers })

const SECRET_NOTE = 'Intern anteckning: budgeten är osäker'
const SECRET_EVALUATION = 'Utvärderarens råa synpunkter'

let world: {
  health: { id: string }
  validation: { id: string }
  hidden: { id: string }
  removed: { id: string }
  film: { id: string }
  work: { id: string }
  subTheme: { id: string }
  project: { id: string }
}

beforeAll(async () => {
  const work = await create('/api/v1/themes', { name: 'Arbetsmarknadsintegration' })
  const subTheme = await create('/api/v1/themes', { name: 'Validering', parent_id: work.id })
  const health = await create('/api/v1/themes', { name: 'Hälsokommunikatörer', parent_id: work.id })
  const lead = await create('/api/v1/organisations', { name: 'Utvecklingspartnerskapet ReKOMP', kind: 'partnership' })
  await create('/api/v1/contacts', {
    first_name: 'Fiktiva', last_name: 'Projektledarsson', email: 'fiktiva.projektledarsson@example.se', phone: '070-174 06 01',
    affiliations: [{ organisation_id: lead.id, role: 'Projektledare' }],
  })
  const project = await create('/api/v1/projects', {
    name: 'ReKOMP – kompetens för hälsa', programme: 'equal', start_date: '2002-07-01', end_date: '2005-06-30', lead_organisation_id: lead.id,
    notes: SECRET_NOTE, evaluation: SECRET_EVALUATION,
  })
  world = {
    work, subTheme, project,
    health: await create('/api/v1/products', {
      title: 'Hälsokommunikatörer', kind: 'method', project_id: project.id, theme_ids: [health.id], public: true, good_practice_status: 'validated',
      url: 'https://www.example.se/halsokommunikatorer', summary: 'Utrikes födda med vårdutbildning ger hälsoinformation på modersmålet.',
    }),
    validation: await create('/api/v1/products', {
      title: 'Validering av yrkeskunskap', kind: 'manual', theme_ids: [subTheme.id], public: true, good_practice_status: 'candidate',
      summary: 'En manual för att validera yrkeskunskaper hos nyanlända.',
    }),
    film: await create('/api/v1/products', { title: 'Väntans psykologi', kind: 'film', public: true, summary: 'En film om att vänta på asylbeslut.' }),
    hidden: await create('/api/v1/products', {
      title: 'Hemlig arbetsrapport om hälsokommunikatörer', kind: 'report', project_id: project.id, summary: 'Inte för allmänheten.', public: false,
    }),
    removed: await create('/api/v1/products', { title: 'Borttagen metod', kind: 'method', public: true, summary: 'Fanns en gång.' }),
  }
  expect((await api('DELETE', `/api/v1/products/${world.removed.id}`)).status).toBe(204)
})

describe('the public idea bank', () => {
  it('opens without logging in, shows the published products and says so to shared caches', async () => {
    const res = await visit('/ideas')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
    const html = await res.text()
    expect(html).toContain('<h1>Idébanken</h1>')
    for (const title of ['Hälsokommunikatörer', 'Validering av yrkeskunskap', 'Väntans psykologi']) expect(html).toContain(title)
    expect(html).toContain('Träffar: 3')
    expect(html).toContain('Validerat gott exempel')
    expect(html).toContain('Kandidat till gott exempel')
  })

  it('never lists, finds or shows a private or deleted product', async () => {
    const list = await (await visit('/ideas')).text()
    expect(list).not.toContain('Hemlig arbetsrapport')
    expect(list).not.toContain('Borttagen metod')
    const search = await (await visit('/ideas?q=hemlig')).text()
    expect(search).toContain('Inga idéer matchar.')
    expect(search).not.toContain('Hemlig arbetsrapport')
    expect((await visit('/ideas?q=borttagen')).status).toBe(200)
    expect(await (await visit('/ideas?q=borttagen')).text()).not.toContain('Borttagen metod')
    for (const id of [world.hidden.id, world.removed.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await visit(`/ideas/${id}`)
      expect(res.status).toBe(404)
      expect(res.headers.get('cache-control')).not.toContain('public')
    }
    expect((await visit('/ideas/not-an-id')).status).toBe(404)
  })

  it('stops showing a product the moment it is made private', async () => {
    const p = await create('/api/v1/products', { title: 'Tillfälligt publik', kind: 'other', public: true, summary: 'Kort tid.' })
    expect((await visit(`/ideas/${p.id}`)).status).toBe(200)
    expect((await api('PATCH', `/api/v1/products/${p.id}`, { version: 1, public: false })).status).toBe(200)
    expect((await visit(`/ideas/${p.id}`)).status).toBe(404)
    expect(await (await visit('/ideas')).text()).not.toContain('Tillfälligt publik')
  })

  it('shows an idea with its kind, summary, themes, project, lead organisation, badge and an external link', async () => {
    const res = await visit(`/ideas/${world.health.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
    const html = await res.text()
    expect(html).toContain('<h1>Hälsokommunikatörer</h1>')
    expect(html).toContain('Metod')
    expect(html).toContain('Utrikes födda med vårdutbildning ger hälsoinformation på modersmålet.')
    expect(html).toContain('<li>Hälsokommunikatörer</li>')
    expect(html).toContain('ReKOMP – kompetens för hälsa')
    expect(html).toContain('Utvecklingspartnerskapet ReKOMP')
    expect(html).toContain('2002-07-01–2005-06-30')
    expect(html).toContain('<span class="status-tag status-active">Validerat gott exempel</span>')
    expect(html).toMatch(/<a class="button primary" href="https:\/\/www\.example\.se\/halsokommunikatorer" rel="noopener noreferrer">/)
  })

  it('leaks no personal data or internal fields: no contacts, notes, evaluation, versions or links into the register', async () => {
    const pages = [await (await visit('/ideas')).text(), await (await visit(`/ideas/${world.health.id}`)).text()]
    for (const html of pages) {
      for (const secret of ['Fiktiva', 'Projektledarsson', 'example.se/fiktiva', 'fiktiva.projektledarsson', '070-174', '+4670', SECRET_NOTE, SECRET_EVALUATION]) {
        expect(html).not.toContain(secret)
      }
      expect(html).not.toMatch(/href="\/(projects|products|organisations|contacts)\//)
      expect(html).not.toContain('name="version"')
      // The public header: the idea bank, no register menu, no search of the register.
      expect(html).toContain('<a href="/ideas" aria-current="page">Idébank</a>')
      expect(html).not.toContain('href="/organisations"')
      expect(html).not.toContain('action="/search"')
    }
  })

  it('filters by theme (its sub-themes included), by kind and by validated good practice, and searches the words', async () => {
    const titles = async (query: string) => {
      const html = await (await visit(`/ideas?${query}`)).text()
      return [...html.matchAll(/<h2><a href="\/ideas\/[0-9a-f-]+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1])
    }
    expect(await titles(`theme_id=${world.work.id}`)).toEqual(['Hälsokommunikatörer', 'Validering av yrkeskunskap'])
    expect(await titles(`theme_id=${world.subTheme.id}`)).toEqual(['Validering av yrkeskunskap'])
    expect(await titles('kind=film&kind=manual')).toEqual(['Validering av yrkeskunskap', 'Väntans psykologi'])
    expect(await titles('validated=1')).toEqual(['Hälsokommunikatörer'])
    expect(await titles('q=halsoinformation')).toEqual(['Hälsokommunikatörer'])
    expect(await titles('q=vantan')).toEqual(['Väntans psykologi'])
    // A newsletter's tracking tag is no reason to fail.
    expect((await visit('/ideas?utm_source=nyhetsbrev')).status).toBe(200)
    expect((await visit('/ideas?kind=podcast')).status).toBe(400)
  })

  it('offers only themes that have published ideas, with their counts', async () => {
    const html = await (await visit('/ideas')).text()
    const options = [...html.matchAll(/<option value="[0-9a-f-]{36}"[^>]*>([^<]+)<\/option>/g)].map((m) => m[1]!.trim())
    expect(options).toEqual(['Arbetsmarknadsintegration (2)', 'Hälsokommunikatörer (1)', 'Validering (1)'])
  })

  it('answers an htmx search with the results alone, and pages through many ideas', async () => {
    const partial = await (await visit('/ideas?q=film', { 'hx-request': 'true' })).text()
    expect(partial.trimStart().startsWith('<div id="results">')).toBe(true)
    expect(partial).not.toContain('<html')
    const first = await (await visit('/ideas?limit=2')).text()
    const next = /<a rel="next" href="\/ideas\?([^"]+)"/.exec(first)?.[1]
    expect(next).toBeDefined()
    const second = await (await visit(`/ideas?${next!.replace(/&amp;/g, '&')}`)).text()
    expect(second).toContain('Väntans psykologi')
    expect(second).not.toContain('rel="next"')
  })

  it('keeps a signed-in person’s page out of shared caches, and speaks English when asked', async () => {
    const browser = await t.browser('viewer')
    const res = await t.request('/ideas', { headers: { cookie: browser.cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(await res.text()).toContain('Hälsokommunikatörer')
    const en = await visit(`/ideas/${world.health.id}`, { cookie: 'lang=en' })
    const html = await en.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Validated good practice')
    expect(html).toContain('Open the product')
  })

  it('gives the public pages but not the products API to an anonymous visitor', async () => {
    expect((await visit('/api/v1/products')).status).toBe(401)
    expect((await visit(`/api/v1/products/${world.health.id}`)).status).toBe(401)
    const res = await visit('/products')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })
})
