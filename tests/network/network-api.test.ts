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
  return res.json() as Promise<{ id: string; [k: string]: unknown }>
}

describe('GET /api/v1/network', () => {
  it('answers nodes and edges with degrees for a small register', async () => {
    const o = await create('/api/v1/organisations', { name: 'Länsstyrelsen i Kalmar län', kind: 'county_board' })
    const p = await create('/api/v1/contacts', { first_name: 'Greta', last_name: 'Gran', affiliations: [{ organisation_id: o.id }] })
    const res = await api('GET', '/api/v1/network')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { nodes: { id: string; degree: number }[]; edges: { source: string; target: string; type: string }[] }
    expect(body.nodes.find((n) => n.id === o.id)).toMatchObject({ type: 'organisation', label: 'Länsstyrelsen i Kalmar län', degree: 1 })
    expect(body.edges).toContainEqual(expect.objectContaining({ source: p.id, target: o.id, type: 'affiliation' }))
  })
})
