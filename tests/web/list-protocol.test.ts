import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listLinks } from '../../src/web/list-links.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  token = await t.apiToken('editor')
})
afterAll(() => t.close())

const create = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(`/api/v1/${path}`, jsonRequest('POST', body, token.headers))
  expect(res.status).toBe(201)
  return res.json()
}
const csvOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
  return parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
}
const EVIL = '=HYPERLINK("http://evil.example","x")'

describe('list links (the href helper)', () => {
  const links = listLinks('/contacts', { tag: ['a', 'b'], county: 'Skåne län', cursor: 'abc', sort: 'name' }, { sort: 'name', dir: 'asc' })

  it('keeps every filter on sort and next-page links, and drops the cursor unless paging', () => {
    expect(links.sort('county').href).toBe('/contacts?tag=a&tag=b&county=Sk%C3%A5ne+l%C3%A4n&sort=county&dir=asc')
    expect(links.sort('name')).toMatchObject({ href: '/contacts?tag=a&tag=b&county=Sk%C3%A5ne+l%C3%A4n&sort=name&dir=desc', active: true, ariaSort: 'ascending' })
    expect(links.next('XYZ')).toBe('/contacts?tag=a&tag=b&county=Sk%C3%A5ne+l%C3%A4n&sort=name&cursor=XYZ')
    expect(links.first()).toBe('/contacts?tag=a&tag=b&county=Sk%C3%A5ne+l%C3%A4n&sort=name')
    expect(links.csv()).toBe('/contacts?tag=a&tag=b&county=Sk%C3%A5ne+l%C3%A4n&sort=name&format=csv')
  })

  it('removes one value of a filter for a chip, or the whole filter', () => {
    expect(links.without('tag', 'a')).toBe('/contacts?county=Sk%C3%A5ne+l%C3%A4n&sort=name&tag=b')
    expect(links.without('county')).toBe('/contacts?tag=a&tag=b&sort=name')
    expect(links.filtered).toBe(true)
    expect(listLinks('/contacts', { sort: 'name', deleted: '1' }, { sort: 'name', dir: 'asc' }).filtered).toBe(false)
  })

  it('keeps a filter the page knows nothing special about on the contact list page', async () => {
    for (const n of [1, 2, 3]) await create('contacts', { first_name: 'Länk', last_name: `Person ${n}`, tags: ['länkad'], language: 'fi' })
    const html = await (await t.request('/contacts?tag=l%C3%A4nkad&limit=2&sort=updated', { headers: { cookie: editor.cookie } })).text()
    const next = /<a rel="next" href="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&')
    expect(next).toMatch(/^\/contacts\?tag=l%C3%A4nkad&limit=2&sort=updated&cursor=/)
    const sortByName = /href="(\/contacts\?[^"]*sort=name[^"]*)"/.exec(html)![1]!.replaceAll('&amp;', '&')
    expect(sortByName).toBe('/contacts?tag=l%C3%A4nkad&limit=2&sort=name&dir=asc')
    const second = await (await t.request(next, { headers: { cookie: editor.cookie } })).text()
    expect(second).toContain('Person')
    expect(second).not.toContain('rel="next"')
  })
})

describe('text filters', () => {
  it('refuses NUL in a text filter with a validation error naming the parameter, on the API and the page', async () => {
    for (const [url, field] of [['/api/v1/contacts?q=%00', 'q'], ['/api/v1/contacts?tag=%00', 'tag'], ['/api/v1/contacts?tag=ok&tag=a%00b', 'tag'],
      ['/api/v1/contacts?q=%FF', 'q'], ['/api/v1/contacts?q=%C3%28', 'q']] as const) {
      const res = await t.request(url, { headers: token.headers })
      expect([url, res.status]).toEqual([url, 400])
      const body = await res.json()
      expect(body.error.code).toBe('validation')
      expect(Object.keys(body.error.fields)).toEqual([field])
    }
    const page = await t.request('/contacts?q=%00', { headers: { cookie: editor.cookie } })
    expect(page.status).toBe(400)
    expect(await page.text()).toContain('Texten innehåller otillåtna tecken.')
  })
})

describe('CSV exports', () => {
  it('neutralises a formula in a list cell (tags) and in the names of the organisations a person works at', async () => {
    const org = await create('organisations', { name: '@SUM(1+1)', kind: 'ngo', tags: [EVIL, 'ok; fine'] })
    await create('contacts', { first_name: 'Formel', last_name: 'Test', tags: [EVIL], affiliations: [{ organisation_id: org.id }] })
    const [person] = await csvOf(await t.request('/api/v1/contacts?format=csv&q=Formel', { headers: token.headers }))
    expect(person!.tags).toBe(`'${EVIL}`)
    expect(person!.organisations).toBe("'@SUM(1+1)")
    const pageExport = await t.request('/contacts?format=csv&q=Formel', { headers: { cookie: editor.cookie } })
    expect((await csvOf(pageExport))[0]!.tags).toBe(`'${EVIL}`)
    const [organisation] = await csvOf(await t.request('/organisations?format=csv&q=SUM', { headers: { cookie: editor.cookie } }))
    expect(organisation!.name).toBe("'@SUM(1+1)")
    expect(organisation!.tags).toBe(`'${EVIL}, ok; fine`)
  })

  it("neutralises a formula in a project's partners and lead", async () => {
    const evil = await create('organisations', { name: '-1+1', kind: 'ngo' })
    const lead = await create('organisations', { name: '+46 Kommun', kind: 'municipality' })
    await create('projects', { name: 'Formelprojekt', programme: 'esf', lead_organisation_id: lead.id, partners: [{ organisation_id: evil.id, role: 'partner' }] })
    const [project] = await csvOf(await t.request('/projects?format=csv&q=Formelprojekt', { headers: { cookie: editor.cookie } }))
    expect(project!.partners).toBe("'-1+1 (partner)")
    expect(project!.lead_organisation).toBe("'+46 Kommun")
  })

  it('quotes a cell holding a semicolon, so a Swedish Excel does not split it', async () => {
    await create('contacts', { first_name: 'Semi', last_name: 'Kolon', title: 'Chef; avdelning' })
    const text = await (await t.request('/api/v1/contacts?format=csv&q=Semi', { headers: token.headers })).text()
    expect(text).toContain('"Chef; avdelning"')
  })
})
