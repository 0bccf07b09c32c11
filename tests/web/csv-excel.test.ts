import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
  const res = await t.request('/api/v1/organisations', jsonRequest('POST', { name: 'Länsstyrelsen i Kalmar län', kind: 'county_board', county: 'Kalmar län', tags: ['län', 'mottagande'] }, token.headers))
  expect(res.status).toBe(201)
})
afterAll(() => t.close())

const rows = (text: string, delimiter: string) => parse(text.replace(/^\uFEFF/, ''), { columns: true, delimiter }) as Record<string, string>[]

describe('CSV for Swedish Excel', () => {
  it('separates with ";" and gives Swedish labels for columns and codes when asked with lang=sv', async () => {
    const res = await t.request('/organisations?format=csv&q=Kalmar&lang=sv', { headers: { cookie: editor.cookie } })
    const text = await res.text()
    expect(text.split('\r\n')[0]).toMatch(/^\uFEFF?[^,]*;Namn;/)
    const [org] = rows(text, ';')
    expect(org!.Namn).toBe('Länsstyrelsen i Kalmar län')
    expect(org!.Typ).toBe('Länsstyrelse')
    expect(org!['Län']).toBe('Kalmar län')
  })

  it('keeps the portable export (commas, field names, codes) without it, in the API too', async () => {
    const page = rows(await (await t.request('/organisations?format=csv&q=Kalmar', { headers: { cookie: editor.cookie } })).text(), ',')
    expect(page[0]!.kind).toBe('county_board')
    const api = rows(await (await t.request('/api/v1/organisations?format=csv&q=Kalmar', { headers: token.headers })).text(), ',')
    expect(api[0]!.kind).toBe('county_board')
    expect(api[0]!.tags).toBe('län, mottagande')
  })
})
