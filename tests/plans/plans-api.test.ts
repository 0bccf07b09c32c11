import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from './helpers.ts'

let t: TestApp
let h: ReturnType<typeof apiOf>
let viewer: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  viewer = await t.apiToken('viewer')
  admin = await t.apiToken('admin')
})
afterAll(() => t.close())

describe('the plans API', () => {
  it('creates a plan with 201 and a Location, with the contract’s fields and defaults', async () => {
    const res = await h.api('POST', '/api/v1/plans', { name: 'Metoden till länen', goal: 'Alla känner till metoden', deadline: '2026-06-30' })
    expect(res.status).toBe(201)
    const plan = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/plans/${plan.id}`)
    expect(plan).toMatchObject({
      name: 'Metoden till länen', goal: 'Alla känner till metoden', deadline: '2026-06-30', status: 'draft', target: {},
      theme_ids: [], product_ids: [], qualifying_attendance: ['attended', 'received'], version: 1,
    })
    expect(plan.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/)
  })

  it('refuses unknown fields, a missing name, an unknown status and unknown themes', async () => {
    for (const body of [{ name: 'X', colour: 'red' }, { goal: 'utan namn' }, { name: 'X', status: 'done' }, { name: 'X', theme_ids: ['00000000-0000-4000-8000-000000000000'] }]) {
      const res = await h.api('POST', '/api/v1/plans', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).error.code).toBe('validation')
    }
  })

  it('updates with the version, answers 409 to a stale one and changes nothing then', async () => {
    const plan = await h.plan({ name: 'Versioner' })
    const ok = await h.api('PATCH', `/api/v1/plans/${plan.id}`, { status: 'active', version: 1 })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'active', version: 2, name: 'Versioner' })
    const stale = await h.api('PATCH', `/api/v1/plans/${plan.id}`, { name: 'Annat', version: 1 })
    expect(stale.status).toBe(409)
    expect((await h.get(`/api/v1/plans/${plan.id}`)).name).toBe('Versioner')
  })

  it('keeps the target when a PATCH leaves it out', async () => {
    const person = await h.contact('Kvar', 'Målgruppsson')
    const plan = await h.plan({ name: 'Behåll', target: { contact_ids: [person.id] }, qualifying_attendance: ['attended'] })
    const res = await h.api('PATCH', `/api/v1/plans/${plan.id}`, { goal: 'Nytt mål', version: 1 })
    expect(await res.json()).toMatchObject({ target: { contact_ids: [person.id] }, qualifying_attendance: ['attended'] })
  })

  it('lets a viewer read but not write', async () => {
    const plan = await h.plan({ name: 'Läsbar' })
    expect((await t.request(`/api/v1/plans/${plan.id}`, { headers: viewer.headers })).status).toBe(200)
    expect((await t.request(`/api/v1/plans/${plan.id}/progress`, { headers: viewer.headers })).status).toBe(200)
    expect((await t.request('/api/v1/plans', jsonRequest('POST', { name: 'Nej' }, viewer.headers))).status).toBe(403)
  })

  it('deletes softly (404 after), and an admin restores', async () => {
    const plan = await h.plan({ name: 'Raderas' })
    expect((await h.api('DELETE', `/api/v1/plans/${plan.id}`)).status).toBe(204)
    expect((await h.api('GET', `/api/v1/plans/${plan.id}`)).status).toBe(404)
    expect((await h.get('/api/v1/plans?q=raderas')).data).toEqual([])
    expect((await h.api('POST', `/api/v1/plans/${plan.id}/restore`)).status).toBe(403)
    const res = await t.request(`/api/v1/plans/${plan.id}/restore`, { method: 'POST', headers: admin.headers })
    expect(res.status).toBe(200)
    expect((await res.json()).version).toBe(3)
  })

  it('lists by Swedish name with keyset pages and filters by status', async () => {
    for (const name of ['Örebroplanen', 'Ängelholmsplanen', 'Alingsåsplanen']) await h.plan({ name, status: 'closed' })
    const first = await h.get('/api/v1/plans?status=closed&limit=2')
    expect(first.data.map((p: { name: string }) => p.name)).toEqual(['Alingsåsplanen', 'Ängelholmsplanen'])
    const second = await h.get(`/api/v1/plans?status=closed&limit=2&cursor=${first.next_cursor}`)
    expect(second.data.map((p: { name: string }) => p.name)).toEqual(['Örebroplanen'])
    expect(second.next_cursor).toBeNull()
  })

  it('is found by search', async () => {
    await h.plan({ name: 'Hälsokommunikatörerna i Norrbotten' })
    const found = await h.get('/api/v1/search?q=halsokommunikatorerna')
    expect(found.data.some((r: { type: string; label: string }) => r.type === 'plan' && r.label === 'Hälsokommunikatörerna i Norrbotten')).toBe(true)
  })
})
