import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let admin: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return res.json()
}
const contact = (body: Record<string, unknown>) => create('/api/v1/contacts', body)
const organisation = (name: string, kind = 'authority') => create('/api/v1/organisations', { name, kind })
const errorFields = async (res: Response) => {
  expect(res.status).toBe(400)
  return (await res.json()).error.fields as Record<string, string>
}

describe('contacts API: creating and validating', () => {
  it('creates a contact with normalised phone and e-mail, and defaults for the lists', async () => {
    const c = await contact({ first_name: 'Karin', last_name: 'Lindqvist', email: 'Karin.Lindqvist@Example.se', phone: '036-10 50 00', county: 'jönköpings län', categories: ['practitioner', 'practitioner', 'official'] })
    expect(c).toMatchObject({
      first_name: 'Karin', last_name: 'Lindqvist', email: 'karin.lindqvist@example.se', phone: '+4636105000', county: 'Jönköpings län',
      categories: ['practitioner', 'official'], affiliations: [], tags: [], theme_ids: [], merged_into_id: null, version: 1,
    })
    expect(c.created_at).toMatch(/T.*(Z|[+-]\d\d:\d\d)$/)
  })
})
