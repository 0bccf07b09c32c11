import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
const names = async (query: string) =>
  ((await (await api('GET', `/api/v1/organisations?${query}`)).json()) as { data: { name: string }[] }).data.map((o) => o.name)

beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  for (const name of ['Migrationsverket', 'Jönköpings kommun', 'Linköpings kommun']) {
    expect((await api('POST', '/api/v1/organisations', { name, kind: 'other' })).status).toBe(201)
  }
})
afterAll(() => t.close())

// The organisations list shares the register's text match with search (src/register/search-filter.ts).
describe('the text filter of a list', () => {
  it('finds a name a typo away when nothing matches as typed', async () => {
    expect(await names('q=Migrationsverkt')).toEqual(['Migrationsverket'])
  })

  it('leaves out names that are only similar when some match as typed', async () => {
    expect(await names('q=jonkoping')).toEqual(['Jönköpings kommun'])
  })

  it('counts what it lists on the page', async () => {
    const res = await t.request('/organisations?q=jonkoping', { headers: { cookie: (await t.browser('viewer')).cookie } })
    expect(await res.text()).toMatch(/\b1 träff/)
  })
})
