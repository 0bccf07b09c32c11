import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
let viewer: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  viewer = await t.apiToken('viewer')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown, who = editor) => t.request(path, jsonRequest(method, body, who.headers))
const create = async (body: Record<string, unknown>) => {
  const res = await api('POST', '/api/v1/organisations', body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return res.json()
}

describe('organisations API', () => {
  it('creates an organisation with the contract fields and sensible defaults', async () => {
    const o = await create({ name: 'Migrationsverket', kind: 'authority', org_number: '202100-2163', website: 'www.migrationsverket.se', county: 'jönköpings län', tags: ['asyl', 'asyl', 'mottagning'] })
    expect(o).toMatchObject({
      name: 'Migrationsverket', kind: 'authority', country: 'SE', county: 'Jönköpings län', org_number: '202100-2163',
      website: 'https://www.migrationsverket.se/', tags: ['asyl', 'mottagning'], theme_ids: [], parent_id: null,
      influence: null, interest: null, version: 1,
    })
    expect(o.created_at).toMatch(/T.*(Z|[+-]\d\d:\d\d)$/)
  })

  it('explains each invalid field: checksum, county, URL, kind, score', async () => {
    const res = await api('POST', '/api/v1/organisations', { name: '', kind: 'club', org_number: '202100-2164', county: 'Narnia län', website: 'not a url', influence: 7 })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(Object.keys(error.fields).sort()).toEqual(['county', 'influence', 'kind', 'name', 'org_number', 'website'])
    expect(error.fields.org_number).toMatch(/kontrollsiffran/)
  })

  it('accepts a twelve-digit organisation number and refuses a duplicate', async () => {
    const first = await create({ name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board', org_number: '16202100-2395' })
    expect(first.org_number).toBe('202100-2395')
    const res = await api('POST', '/api/v1/organisations', { name: 'Kopia', kind: 'county_board', org_number: '2021002395' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields.org_number).toBeTruthy()
  })

  it('keeps a hierarchy without loops', async () => {
    const ministry = await create({ name: 'Justitiedepartementet', kind: 'ministry' })
    const agency = await create({ name: 'Migrationsverket Region Syd', kind: 'authority', parent_id: ministry.id })
    const unit = await create({ name: 'Mottagningsenheten Malmö', kind: 'authority', parent_id: agency.id })
    const loop = await api('PATCH', `/api/v1/organisations/${ministry.id}`, { version: 1, parent_id: unit.id })
    expect(loop.status).toBe(400)
    expect((await loop.json()).error.fields.parent_id).toBeTruthy()
    const self = await api('PATCH', `/api/v1/organisations/${ministry.id}`, { version: 1, parent_id: ministry.id })
    expect(self.status).toBe(400)
  })

  it('patches only what is sent, and a stale version changes nothing', async () => {
    const o = await create({ name: 'Röda Korset', kind: 'ngo', tags: ['frivillig'] })
    const res = await api('PATCH', `/api/v1/organisations/${o.id}`, { version: 1, short_name: 'SRK' })
    expect(await res.json()).toMatchObject({ short_name: 'SRK', tags: ['frivillig'], version: 2 })
    const stale = await api('PATCH', `/api/v1/organisations/${o.id}`, { version: 1, name: 'Svenska Röda Korset' })
    expect(stale.status).toBe(409)
    expect((await (await api('GET', `/api/v1/organisations/${o.id}`)).json()).name).toBe('Röda Korset')
  })

  it('lets a viewer read but not write', async () => {
    expect((await api('GET', '/api/v1/organisations', undefined, viewer)).status).toBe(200)
    expect((await api('POST', '/api/v1/organisations', { name: 'X', kind: 'other' }, viewer)).status).toBe(403)
  })

  it('filters by kind and county (repeat means any of), searches without accents, and pages', async () => {
    for (const [name, county] of [['Jönköpings kommun', 'Jönköpings län'], ['Malmö stad', 'Skåne län'], ['Umeå kommun', 'Västerbottens län']]) {
      await create({ name, kind: 'municipality', county })
    }
    const both = await (await api('GET', '/api/v1/organisations?kind=municipality&county=Sk%C3%A5ne%20l%C3%A4n&county=J%C3%B6nk%C3%B6pings%20l%C3%A4n')).json()
    expect(both.data.map((o: { name: string }) => o.name)).toEqual(['Jönköpings kommun', 'Malmö stad'])
    const folded = await (await api('GET', '/api/v1/organisations?q=jonkoping')).json()
    expect(folded.data.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['Jönköpings kommun', 'Länsstyrelsen i Jönköpings län']))
    const page1 = await (await api('GET', '/api/v1/organisations?kind=municipality&limit=2')).json()
    const page2 = await (await api('GET', `/api/v1/organisations?kind=municipality&limit=2&cursor=${page1.next_cursor}`)).json()
    expect([...page1.data, ...page2.data].map((o: { name: string }) => o.name)).toEqual(['Jönköpings kommun', 'Malmö stad', 'Umeå kommun'])
    expect(page2.next_cursor).toBeNull()
  })

  it('deletes softly and an admin restores', async () => {
    const admin = await t.apiToken('admin')
    const o = await create({ name: 'Tillfällig förening', kind: 'ngo' })
    expect((await api('DELETE', `/api/v1/organisations/${o.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/organisations/${o.id}`)).status).toBe(404)
    expect((await api('POST', `/api/v1/organisations/${o.id}/restore`)).status).toBe(403)
    expect((await api('POST', `/api/v1/organisations/${o.id}/restore`, undefined, admin)).status).toBe(200)
    const audit = await (await api('GET', `/api/v1/audit?entity_type=organisation&entity_id=${o.id}`, undefined, admin)).json()
    expect(audit.data.map((a: { action: string }) => a.action)).toEqual(['restore', 'delete', 'create'])
  })

  it('exports CSV with every matching row, not just one page', async () => {
    const res = await api('GET', '/api/v1/organisations?format=csv&kind=municipality&limit=1')
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    expect(text.startsWith('\uFEFFid,name,')).toBe(true)
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(1 + 3)
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['Jönköpings kommun', 'Malmö stad', 'Umeå kommun'])
  })
})
