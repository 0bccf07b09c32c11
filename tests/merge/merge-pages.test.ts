import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let cookie: string
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('editor')).cookie
  token = await t.apiToken('editor')
})
afterAll(() => t.close())

const create = async (path: string, body: Record<string, unknown>) => {
  const res = await t.request(path, jsonRequest('POST', body, token.headers))
  expect(res.status).toBe(201)
  return res.json()
}
const page = async (path: string) => {
  const res = await t.request(path, { headers: { cookie } })
  return { status: res.status, html: await res.text() }
}
/** The side ('a' or 'b') whose radio is checked for a field. */
const checked = (html: string, name: string) =>
  [...html.matchAll(/<input type="radio" name="([^"]+)" value="([ab])" id="[^"]+" checked>/g)].find((m) => m[1] === name)?.[2]

describe('the merge page', () => {
  it('shows both records field by field, choosing the filled-in value by default, and merges into the one kept', async () => {
    const a = await create('/api/v1/organisations', { name: 'Integrationsverket', kind: 'authority', website: 'www.integrationsverket.se' })
    const b = await create('/api/v1/organisations', { name: 'Integrationsverket (gammal)', kind: 'authority', county: 'Östergötlands län' })
    const { status, html } = await page(`/organisations/merge?a=${a.id}&b=${b.id}`)
    expect(status).toBe(200)
    expect(html).toContain('Slå ihop två organisationer')
    expect(html).toContain('B: Östergötlands län')
    expect(checked(html, 'field_county')).toBe('b')
    expect(checked(html, 'field_website')).toBe('a')
    expect(html).toContain('Samma i båda: Myndighet')

    const res = await t.request('/organisations/merge', formPost({
      a: a.id, b: b.id, version_a: '1', version_b: '1', keep: 'b', field_name: 'a', field_county: 'b', field_website: 'a',
    }, cookie))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/organisations/${b.id}`)
    const kept = await (await t.request(`/api/v1/organisations/${b.id}`, { headers: token.headers })).json()
    expect(kept).toMatchObject({ name: 'Integrationsverket', county: 'Östergötlands län', website: 'https://www.integrationsverket.se/' })
    expect((await t.db.selectFrom('organisations').select('merged_into_id').where('id', '=', a.id).executeTakeFirstOrThrow()).merged_into_id).toBe(b.id)
  })

  it('shows the records again as they are now when one changed meanwhile (409)', async () => {
    const a = await create('/api/v1/contacts', { first_name: 'Örjan', last_name: 'Bäck' })
    const b = await create('/api/v1/contacts', { first_name: 'Orjan', last_name: 'Back', phone: '036-10 50 00' })
    await t.request(`/api/v1/contacts/${b.id}`, jsonRequest('PATCH', { version: 1, title: 'Rektor' }, token.headers))
    const res = await t.request('/contacts/merge', formPost({ a: a.id, b: b.id, version_a: '1', version_b: '1', keep: 'a' }, cookie))
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon har ändrat en av posterna')
    expect(html).toContain('B: Rektor')
    expect(html).toContain('name="version_b" value="2"')
    expect((await t.db.selectFrom('contacts').select('deleted_at').where('id', '=', b.id).executeTakeFirstOrThrow()).deleted_at).toBeNull()
  })

  it('offers a choice of records when the link names fewer than two', async () => {
    const a = await create('/api/v1/organisations', { name: 'Malmö universitet', kind: 'research' })
    const { status, html } = await page(`/organisations/merge?a=${a.id}`)
    expect(status).toBe(200)
    expect(html).toContain('Välj två poster att slå ihop')
    expect(html).toContain(`<option value="${a.id}" selected>Malmö universitet</option>`)
  })
})

describe('the duplicates page', () => {
  it('lists organisations with similar names, ignoring accents and case, with a link to compare them', async () => {
    const a = await create('/api/v1/organisations', { name: 'Länsstyrelsen i Västerbottens län', kind: 'county_board' })
    const b = await create('/api/v1/organisations', { name: 'lansstyrelsen Vasterbottens lan', kind: 'county_board' })
    await create('/api/v1/organisations', { name: 'Svenska ESF-rådet', kind: 'authority' })
    const { status, html } = await page('/duplicates?type=organisations')
    expect(status).toBe(200)
    const [first, second] = [a.id, b.id].sort()
    expect(html).toContain(`/organisations/merge?a=${first}&amp;b=${second}`)
    expect(html).not.toContain('Svenska ESF-rådet')
  })

  it('lists contacts with the same phone number', async () => {
    await create('/api/v1/contacts', { first_name: 'Leyla', last_name: 'Ek', phone: '+46 8 123 456 78' })
    await create('/api/v1/contacts', { first_name: 'Jussi', last_name: 'Wallin', phone: '08-123 456 78' })
    const { html } = await page('/duplicates?type=contacts')
    expect(html).toContain('samma telefonnummer')
    expect(html).toContain('Jussi Wallin')
  })
})
