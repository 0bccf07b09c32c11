import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let viewer: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  viewer = await t.apiToken('viewer')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}
const ids = (body: { data: { id: string }[] }) => body.data.map((r) => r.id)
const list = async (query: string) => (await api('GET', `/api/v1/products?${query}`, undefined, viewer)).json()
const auditOf = async (id: string) =>
  (await (await api('GET', `/api/v1/audit?entity_type=product&entity_id=${id}`, undefined, admin)).json()).data as {
    action: string
    changes: Record<string, [unknown, unknown]>
  }[]

const SUMMARY = 'Utrikes födda med vårdutbildning ger hälsoinformation på modersmålet till nyanlända.'

describe('products API', () => {
  it('creates a product of a project, answers it with Location, and reads it back', async () => {
    const theme = await create('/api/v1/themes', { name: 'Hälsokommunikatörer' })
    const project = await create('/api/v1/projects', { name: 'ReKOMP', programme: 'equal' })
    const res = await api('POST', '/api/v1/products', {
      title: 'Hälsokommunikatörer', kind: 'method', project_id: project.id, theme_ids: [theme.id], url: 'www.example.se/halsa',
      summary: SUMMARY, good_practice_status: 'validated', public: true,
    })
    expect(res.status).toBe(201)
    const product = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/products/${product.id}`)
    expect(product).toMatchObject({
      title: 'Hälsokommunikatörer', kind: 'method', project_id: project.id, theme_ids: [theme.id], url: 'https://www.example.se/halsa',
      good_practice_status: 'validated', public: true, version: 1,
    })
    expect(await (await api('GET', `/api/v1/products/${product.id}`, undefined, viewer)).json()).toEqual(product)
  })

  it('starts private and unassessed, and refuses a missing title or kind, unknown values and unknown fields', async () => {
    const plain = await create('/api/v1/products', { title: 'Lägesrapport', kind: 'report' })
    expect(plain).toMatchObject({ public: false, good_practice_status: null, project_id: null, summary: null, url: null })
    const bad = await api('POST', '/api/v1/products', { title: '', kind: 'podcast', good_practice_status: 'maybe', url: 'inte en adress', secret: 1 })
    expect(bad.status).toBe(400)
    expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(['good_practice_status', 'kind', 'secret', 'title', 'url'])
  })

  it('publishes a product only with a summary, and says why on the public field, also when a PATCH sends one of the two', async () => {
    const refused = await api('POST', '/api/v1/products', { title: 'Film om väntan', kind: 'film', public: true, summary: '   ' })
    expect(refused.status).toBe(400)
    expect((await refused.json()).error.fields).toEqual({
      public: 'En produkt kan bara visas i idébanken om den har en sammanfattning, eftersom det är den läsarna ser. Skriv en sammanfattning först.',
    })
    const product = await create('/api/v1/products', { title: 'Film om väntan', kind: 'film' })
    const publish = await api('PATCH', `/api/v1/products/${product.id}`, { version: 1, public: true })
    expect(publish.status).toBe(400)
    expect(Object.keys((await publish.json()).error.fields)).toEqual(['public'])
    const withSummary = await (await api('PATCH', `/api/v1/products/${product.id}`, { version: 1, summary: 'Väntans psykologi.' })).json()
    const published = await api('PATCH', `/api/v1/products/${product.id}`, { version: withSummary.version, public: true })
    expect(published.status).toBe(200)
    const emptied = await api('PATCH', `/api/v1/products/${product.id}`, { version: withSummary.version + 1, summary: '' })
    expect(emptied.status).toBe(400)
    expect(Object.keys((await emptied.json()).error.fields)).toEqual(['public'])
  })

  it('refuses a deleted or unknown project, but keeps one that was deleted after it was linked', async () => {
    const [old, gone] = [await create('/api/v1/projects', { name: 'Gammalt projekt' }), await create('/api/v1/projects', { name: 'Borttaget projekt' })]
    const product = await create('/api/v1/products', { title: 'Slutrapport', kind: 'report', project_id: old.id })
    await api('DELETE', `/api/v1/projects/${gone.id}`)
    await api('DELETE', `/api/v1/projects/${old.id}`)
    const refused = await api('POST', '/api/v1/products', { title: 'Manual', kind: 'manual', project_id: gone.id })
    expect((await refused.json()).error.fields.project_id).toBe('Finns inte (eller är borttagen).')
    const unknown = await api('POST', '/api/v1/products', { title: 'Manual', kind: 'manual', project_id: '00000000-0000-4000-8000-000000000009' })
    expect(unknown.status).toBe(400)
    const kept = await api('PATCH', `/api/v1/products/${product.id}`, { version: 1, project_id: old.id, title: 'Slutrapport 2005' })
    expect(kept.status).toBe(200)
  })

  it('audits each change and answers a stale version with 409, changing nothing', async () => {
    const product = await create('/api/v1/products', { title: 'Utbildningspaket', kind: 'training' })
    expect((await api('PATCH', `/api/v1/products/${product.id}`, { version: 1, good_practice_status: 'candidate' })).status).toBe(200)
    const stale = await api('PATCH', `/api/v1/products/${product.id}`, { version: 1, good_practice_status: 'rejected' })
    expect(stale.status).toBe(409)
    expect((await stale.json()).error.code).toBe('conflict')
    expect((await (await api('GET', `/api/v1/products/${product.id}`)).json()).good_practice_status).toBe('candidate')
    const audit = await auditOf(product.id)
    expect(audit.map((r) => r.action)).toEqual(['update', 'create'])
    expect(audit[0]!.changes).toEqual({ good_practice_status: [null, 'candidate'] })
  })

  it('filters by kind, project, theme, good-practice status, visibility and words, repeated values meaning any of', async () => {
    const theme = await create('/api/v1/themes', { name: 'Samhällsorientering' })
    const project = await create('/api/v1/projects', { name: 'Trygg start' })
    const a = await create('/api/v1/products', { title: 'Samhällsorientering på modersmål', kind: 'method', project_id: project.id, theme_ids: [theme.id], summary: SUMMARY, public: true, good_practice_status: 'validated' })
    const b = await create('/api/v1/products', { title: 'Handbok för samhällskommunikatörer', kind: 'manual', project_id: project.id, good_practice_status: 'candidate' })
    const c = await create('/api/v1/products', { title: 'Konferensen Väntans psykologi', kind: 'conference_format' })
    expect(ids(await list('kind=method&kind=manual'))).toEqual(expect.arrayContaining([a.id, b.id]))
    expect(ids(await list('kind=method&kind=manual'))).not.toContain(c.id)
    expect(ids(await list(`project_id=${project.id}`)).sort()).toEqual([a.id, b.id].sort())
    expect(ids(await list(`theme_id=${theme.id}`))).toEqual([a.id])
    expect(ids(await list(`good_practice_status=candidate&project_id=${project.id}`))).toEqual([b.id])
    expect(ids(await list(`good_practice_status=validated&good_practice_status=candidate&project_id=${project.id}`)).sort()).toEqual([a.id, b.id].sort())
    expect(ids(await list('public=true'))).toContain(a.id)
    expect(ids(await list('public=true'))).not.toContain(b.id)
    expect(ids(await list('public=false'))).toEqual(expect.arrayContaining([b.id, c.id]))
    expect(ids(await list('public=false'))).not.toContain(a.id)
    expect(ids(await list('public=true&public=false'))).toEqual(expect.arrayContaining([a.id, b.id, c.id]))
    expect(ids(await list('q=konferensen vantans'))).toEqual([c.id])
    expect((await api('GET', '/api/v1/products?public=yes')).status).toBe(400)
  })

  it('exports the whole filtered list as CSV with a BOM and the project by name', async () => {
    const project = await create('/api/v1/projects', { name: 'Kompetensbron' })
    await create('/api/v1/products', { title: 'Valideringsmodellen', kind: 'method', project_id: project.id, good_practice_status: 'validated' })
    const res = await api('GET', `/api/v1/products?format=csv&project_id=${project.id}`)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(csv.split('\r\n')[0]).toBe('\uFEFFid,title,kind,project_id,project,good_practice_status,public,url,summary,theme_ids,version,created_at,updated_at')
    expect(csv).toContain(`Valideringsmodellen,method,${project.id},Kompetensbron,validated,false`)
    expect(csv.trim().split('\r\n')).toHaveLength(2)
  })

  it('deletes softly, only an admin restores, and the audit log tells it all', async () => {
    const product = await create('/api/v1/products', { title: 'Webbplatsen Tema asyl', kind: 'website' })
    expect((await api('DELETE', `/api/v1/products/${product.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/products/${product.id}`)).status).toBe(404)
    expect(ids(await list('q=tema asyl'))).toEqual([])
    expect((await api('POST', `/api/v1/products/${product.id}/restore`)).status).toBe(403)
    expect(ids(await (await api('GET', '/api/v1/products?deleted=1', undefined, admin)).json())).toContain(product.id)
    const restored = await api('POST', `/api/v1/products/${product.id}/restore`, undefined, admin)
    expect(restored.status).toBe(200)
    expect((await restored.json()).version).toBe(3)
    expect((await auditOf(product.id)).map((a) => a.action)).toEqual(['restore', 'delete', 'create'])
  })

  it('lets a viewer read but not write', async () => {
    expect((await api('GET', '/api/v1/products', undefined, viewer)).status).toBe(200)
    expect((await api('POST', '/api/v1/products', { title: 'Nej', kind: 'other' }, viewer)).status).toBe(403)
  })
})
