import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let browser: Awaited<ReturnType<TestApp['browser']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  browser = await t.browser('editor')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (body: Record<string, unknown>) => {
  const res = await api('POST', '/api/v1/themes', body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return res.json()
}
const page = async (path: string, init: RequestInit = {}) => {
  const res = await t.request(path, { ...init, headers: { cookie: browser.cookie, ...(init.headers ?? {}) } })
  return { status: res.status, html: await res.text(), res }
}

describe('themes API', () => {
  it('creates a theme and a sub-theme, and lists them in Swedish order', async () => {
    const arbete = await create({ name: 'Arbetsmarknad', description: 'Vägar till arbete' })
    expect(arbete).toMatchObject({ name: 'Arbetsmarknad', parent_id: null, description: 'Vägar till arbete', version: 1 })
    await create({ name: 'Översättning', parent_id: arbete.id })
    await create({ name: 'Validering', parent_id: arbete.id })
    const res = await api('GET', `/api/v1/themes?parent_id=${arbete.id}`)
    expect(res.headers.get('content-type')).toContain('json')
    const { data } = await res.json()
    expect(data.map((x: { name: string }) => x.name)).toEqual(['Validering', 'Översättning'])
  })

  it('refuses a name already used by a sibling, whatever its case, but allows it elsewhere in the tree', async () => {
    const halsa = await create({ name: 'Hälsa' })
    await create({ name: 'Hälsokommunikatörer', parent_id: halsa.id })
    const clash = await api('POST', '/api/v1/themes', { name: 'HÄLSOKOMMUNIKATÖRER', parent_id: halsa.id })
    expect(clash.status).toBe(400)
    expect((await clash.json()).error.fields.name).toMatch(/redan ett tema/)
    const topClash = await api('POST', '/api/v1/themes', { name: 'hälsa' })
    expect(topClash.status).toBe(400)
    const elsewhere = await create({ name: 'Hälsokommunikatörer' })
    expect(elsewhere.parent_id).toBeNull()
    const rename = await api('PATCH', `/api/v1/themes/${elsewhere.id}`, { version: 1, parent_id: halsa.id })
    expect(rename.status).toBe(400)
    expect((await rename.json()).error.fields.name).toBeTruthy()
  })

  it('refuses to place a theme under itself or under one of its own sub-themes', async () => {
    const a = await create({ name: 'Mottagande' })
    const b = await create({ name: 'Boende', parent_id: a.id })
    const c = await create({ name: 'Eget boende', parent_id: b.id })
    const self = await api('PATCH', `/api/v1/themes/${a.id}`, { version: 1, parent_id: a.id })
    expect(self.status).toBe(400)
    expect((await self.json()).error.fields.parent_id).toMatch(/under sig självt/)
    const loop = await api('PATCH', `/api/v1/themes/${a.id}`, { version: 1, parent_id: c.id })
    expect(loop.status).toBe(400)
    expect((await api('GET', `/api/v1/themes/${a.id}`)).status).toBe(200)
    expect((await (await api('GET', `/api/v1/themes/${a.id}`)).json()).parent_id).toBeNull()
  })

  it('refuses a parent that does not exist or is deleted, and unknown fields', async () => {
    const gone = await create({ name: 'Tillfälligt tema' })
    expect((await api('DELETE', `/api/v1/themes/${gone.id}`)).status).toBe(204)
    const res = await api('POST', '/api/v1/themes', { name: 'Under borttaget', parent_id: gone.id })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields.parent_id).toBeTruthy()
    const unknown = await api('POST', '/api/v1/themes', { name: 'X', colour: 'blå' })
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).error.fields.colour).toBeTruthy()
  })

  it('will not delete a theme that still has live sub-themes, and says why', async () => {
    const parent = await create({ name: 'Språk' })
    const child = await create({ name: 'SFI', parent_id: parent.id })
    const refused = await api('DELETE', `/api/v1/themes/${parent.id}`)
    expect(refused.status).toBe(409)
    expect((await refused.json()).error.message).toMatch(/underteman/)
    expect((await api('GET', `/api/v1/themes/${parent.id}`)).status).toBe(200)
    expect((await api('DELETE', `/api/v1/themes/${child.id}`)).status).toBe(204)
    expect((await api('DELETE', `/api/v1/themes/${parent.id}`)).status).toBe(204)
  })

  it('deletes softly, and an admin restores unless the name was taken meanwhile', async () => {
    const th = await create({ name: 'Civilsamhälle' })
    expect((await api('DELETE', `/api/v1/themes/${th.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/themes/${th.id}`)).status).toBe(404)
    const list = await (await api('GET', '/api/v1/themes?q=civilsamhalle')).json()
    expect(list.data).toEqual([])
    expect((await api('POST', `/api/v1/themes/${th.id}/restore`)).status).toBe(403)
    const restored = await api('POST', `/api/v1/themes/${th.id}/restore`, undefined, admin)
    expect(restored.status).toBe(200)
    expect((await restored.json()).version).toBe(3)

    expect((await api('DELETE', `/api/v1/themes/${th.id}`)).status).toBe(204)
    await create({ name: 'civilsamhälle' })
    const clash = await api('POST', `/api/v1/themes/${th.id}/restore`, undefined, admin)
    expect(clash.status).toBe(400)
    expect((await clash.json()).error.fields.name).toBeTruthy()
    const audit = await (await api('GET', `/api/v1/audit?entity_type=theme&entity_id=${th.id}`, undefined, admin)).json()
    expect(audit.data.map((a: { action: string }) => a.action)).toEqual(['delete', 'restore', 'delete', 'create'])
  })

  it('answers a stale version with 409 and changes nothing', async () => {
    const th = await create({ name: 'Utbildning' })
    expect((await api('PATCH', `/api/v1/themes/${th.id}`, { version: 1, description: 'Skola och vuxenutbildning' })).status).toBe(200)
    const stale = await api('PATCH', `/api/v1/themes/${th.id}`, { version: 1, name: 'Skola' })
    expect(stale.status).toBe(409)
    const now = await (await api('GET', `/api/v1/themes/${th.id}`)).json()
    expect(now).toMatchObject({ name: 'Utbildning', description: 'Skola och vuxenutbildning', version: 2 })
  })

  it('pages with a cursor and exports CSV of the whole list', async () => {
    const first = await (await api('GET', '/api/v1/themes?limit=2')).json()
    expect(first.data).toHaveLength(2)
    const second = await (await api('GET', `/api/v1/themes?limit=2&cursor=${first.next_cursor}`)).json()
    expect(second.data[0].name).not.toBe(first.data[1].name)
    const csv = await api('GET', '/api/v1/themes?format=csv&limit=1')
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer())
    expect(text.startsWith('\uFEFFid,name,parent_id')).toBe(true)
    expect(text).toContain('Arbetsmarknad')
    expect(text).toContain('Validering')
  })
})

describe('theme pages', () => {
  it('shows the tree as nested lists, sub-themes inside their parent', async () => {
    const { status, html } = await page('/themes')
    expect(status).toBe(200)
    const arbete = html.indexOf('>Arbetsmarknad</a>')
    const nested = html.slice(arbete, html.indexOf('</li>', html.indexOf('>Översättning</a>')))
    expect(nested).toContain('<ul class="theme-tree">')
    expect(nested).toContain('>Validering</a>')
    expect(html).toContain('name="parent_id"')
  })

  it('puts the message next to the field when the name is missing or taken, keeping what was typed', async () => {
    const empty = await page('/themes', formPost({ return: 'list', name: '', description: 'Något jag skrev' }, browser.cookie))
    expect(empty.status).toBe(422)
    expect(empty.html).toMatch(/id="f-name-error">Fyll i fältet\./)
    expect(empty.html).toContain('Något jag skrev')
    const taken = await page('/themes/new', {})
    expect(taken.status).toBe(200)
    const dup = await page('/themes', formPost({ name: 'arbetsmarknad' }, browser.cookie))
    expect(dup.status).toBe(422)
    expect(dup.html).toMatch(/id="f-name-error">Det finns redan ett tema/)
  })

  it('creates from the form and shows the theme with its counts of tagged organisations and contacts', async () => {
    const res = await page('/themes', formPost({ name: 'Integration i arbetslivet', description: 'Från praktik till anställning' }, browser.cookie))
    expect(res.status).toBe(303)
    const location = res.res.headers.get('location')!
    const id = location.split('/').pop()!
    await api('POST', '/api/v1/organisations', { name: 'Arbetsförmedlingen', kind: 'authority', theme_ids: [id] })
    const show = await page(location)
    expect(show.html).toContain('Från praktik till anställning')
    expect(show.html).toContain(`href="/organisations?theme_id=${id}">1 organisation<`)
    expect(show.html).toContain(`href="/contacts?theme_id=${id}">0 kontakter`)
  })

  it('shows a clear message instead of deleting a theme with sub-themes', async () => {
    const parent = await create({ name: 'Asylprocessen' })
    await create({ name: 'Ensamkommande barn', parent_id: parent.id })
    const res = await page(`/themes/${parent.id}/delete`, formPost({ version: '1' }, browser.cookie))
    expect(res.status).toBe(409)
    expect(res.html).toContain('Temat har underteman och kan inte tas bort')
    expect((await api('GET', `/api/v1/themes/${parent.id}`)).status).toBe(200)
  })

  it('keeps what the user typed when someone else saved first', async () => {
    const th = await create({ name: 'Delaktighet' })
    await api('PATCH', `/api/v1/themes/${th.id}`, { version: 1, description: 'Först sparat' })
    const res = await page(`/themes/${th.id}`, formPost({ version: '1', name: 'Delaktighet och demokrati', description: 'Mitt utkast' }, browser.cookie))
    expect(res.status).toBe(409)
    expect(res.html).toContain('Någon annan har ändrat')
    expect(res.html).toContain('Mitt utkast')
    expect(res.html).toContain('value="Delaktighet och demokrati"')
    expect(res.html).toContain('name="version" value="2"')
  })

  it('offers an edit form whose parent choices leave out the theme and its sub-themes', async () => {
    const top = await create({ name: 'Samverkan' })
    const sub = await create({ name: 'Lokal samverkan', parent_id: top.id })
    const { html } = await page(`/themes/${top.id}/edit`)
    expect(html).not.toContain(`<option value="${sub.id}"`)
    expect(html).not.toContain(`<option value="${top.id}"`)
    expect(html).toContain('Arbetsmarknad')
  })
})
