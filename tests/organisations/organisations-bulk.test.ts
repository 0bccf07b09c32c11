import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFrom, formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
  admin = await t.apiToken('admin')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = token) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status).toBe(201)
  return res.json()
}
const organisation = (name: string) => create('/api/v1/organisations', { name, kind: 'authority', tags: ['befintlig'] })
const read = async (id: string) => (await api('GET', `/api/v1/organisations/${id}`)).json()
/** The ticked rows and the chosen action, as the list's form posts them. */
const bulk = (ids: string[], fields: [string, string][], init: RequestInit = formPost({}, editor.cookie)) =>
  t.request('/organisations/bulk', { ...init, body: new URLSearchParams([...ids.map((id): [string, string] => ['id', id]), ...fields]).toString() })

describe('the organisation list\'s selected-rows actions', () => {
  it('adds a tag to the ticked organisations only, each change audited and versioned, and goes back to the list as it was', async () => {
    const [a, b, other] = await Promise.all([organisation('Bulkverket A'), organisation('Bulkverket B'), organisation('Bulkverket Orört')])
    const back = '/organisations?kind=authority&sort=updated'
    const res = await bulk([a.id, b.id], [['action', 'tag'], ['tag', 'kampanj'], ['back', back]])
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(back)
    const flash = `flash=${cookieFrom(res, 'flash')}`
    const listed = await (await t.request(back, { headers: { cookie: `${editor.cookie}; ${flash}` } })).text()
    expect(listed).toContain('Ändringarna är sparade.')

    const [na, nb, no] = await Promise.all([read(a.id), read(b.id), read(other.id)])
    expect([na.tags, nb.tags, no.tags]).toEqual([['befintlig', 'kampanj'], ['befintlig', 'kampanj'], ['befintlig']])
    expect([na.version, nb.version, no.version]).toEqual([a.version + 1, b.version + 1, other.version])
    const tagged = await (await t.request('/organisations?tag=kampanj', { headers: { cookie: editor.cookie } })).text()
    expect(tagged).toContain('Bulkverket A')
    expect(tagged).not.toContain('Bulkverket Orört')

    // Audited as the editor's update, before → after.
    const log = (await (await api('GET', `/api/v1/audit?entity_id=${a.id}&action=update`, undefined, admin)).json()).data
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ user_id: editor.user.id, changes: { tags: [['befintlig'], ['befintlig', 'kampanj']] } })
    // A copy read before the change is stale: saving it is a conflict, not a silent overwrite of the tag.
    const stale = await api('PATCH', `/api/v1/organisations/${a.id}`, { version: a.version, tags: ['befintlig'] })
    expect(stale.status).toBe(409)
    expect((await read(a.id)).tags).toEqual(['befintlig', 'kampanj'])

    // Ticking them again changes nothing: no new version, no audit entry.
    expect((await bulk([a.id], [['action', 'tag'], ['tag', 'kampanj']])).status).toBe(303)
    expect((await read(a.id)).version).toBe(a.version + 1)
  })

  it('adds a theme, and exports exactly the ticked rows', async () => {
    const theme = await create('/api/v1/themes', { name: 'Bulktema' })
    const [a, b] = await Promise.all([organisation('Temaverket A'), organisation('Temaverket B')])
    expect((await bulk([a.id], [['action', 'theme'], ['theme_id', theme.id]])).status).toBe(303)
    expect((await read(a.id)).theme_ids).toEqual([theme.id])
    expect((await read(b.id)).theme_ids).toEqual([])
    const csv = await t.request(`/organisations/export?id=${a.id}&id=${b.id}`, { headers: { cookie: editor.cookie } })
    expect(csv.status).toBe(200)
    const rows = parse((await csv.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.name).sort()).toEqual(['Temaverket A', 'Temaverket B'])
  })

  it('is refused to a viewer, to a cross-site form and for an empty selection, and never redirects off the list', async () => {
    const o = await organisation('Skyddsverket')
    const viewer = await t.browser('viewer')
    const byViewer = await bulk([o.id], [['action', 'tag'], ['tag', 'obehörig']], formPost({}, viewer.cookie))
    expect(byViewer.status).toBe(403)
    const crossSite = formPost({}, editor.cookie)
    crossSite.headers = { ...(crossSite.headers as Record<string, string>), origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
    expect((await bulk([o.id], [['action', 'tag'], ['tag', 'förfalskad']], crossSite)).status).toBe(403)
    expect((await read(o.id)).tags).toEqual(['befintlig'])

    const none = await bulk([], [['action', 'tag'], ['tag', 'ingen']])
    expect(none.status).toBe(400)
    expect(await none.text()).toContain('Markera minst en rad först.')
    const away = await bulk([o.id], [['action', 'tag'], ['tag', 'hemma'], ['back', '//evil.example/organisations']])
    expect(away.headers.get('location')).toBe('/organisations')
    expect((await read(o.id)).tags).toEqual(['befintlig', 'hemma'])
  })
})
