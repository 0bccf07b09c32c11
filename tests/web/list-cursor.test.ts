import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['browser']>>
let token: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  admin = await t.browser('admin')
  token = await t.apiToken('admin')
})
afterAll(() => t.close())

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const UUID = '0b5a3c1e-2f4d-4a6b-8c9d-0e1f2a3b4c5d'

/** Cursors no list ever handed out: quotes, a non-uuid id, wrong lengths, not base64, not JSON. */
const BAD_CURSORS = [
  'WyInIiwiJyJd',
  b64(['Åberg', 'not-a-uuid']),
  b64(['x', 'y', 'not-a-uuid']),
  b64(['a\u0000', UUID]),
  b64(['x', 'y', 'z', UUID]),
  b64([1, UUID]),
  b64({ a: 1 }),
  'not a cursor!',
  'AAAA',
  '%C3%28',
]

const PAGES = [
  '/organisations', '/contacts', '/alliances', '/bodies', '/activities', '/plans', '/projects', '/products',
  '/interactions', '/admin/users', '/admin/audit',
]
const API = [
  'organisations', 'contacts', 'themes', 'alliances', 'bodies', 'activities', 'plans', 'projects', 'products',
  'interactions', 'organisation-relationships', 'users', 'audit',
].map((p) => `/api/v1/${p}`)

describe('a tampered list cursor', () => {
  it('is a validation error naming cursor on every JSON list', async () => {
    for (const url of API) {
      for (const cursor of BAD_CURSORS) {
        const res = await t.request(`${url}?cursor=${encodeURIComponent(cursor)}`, { headers: token.headers })
        expect([url, cursor, res.status]).toEqual([url, cursor, 400])
        const body = await res.json()
        expect(body.error.code).toBe('validation')
        expect(body.error.fields.cursor).toBe('Sidmarkören är ogiltig; börja om från första sidan.')
      }
    }
  })

  it('is a 400 page saying the cursor is invalid on every list page, the public idea bank included', async () => {
    const requests = [...PAGES.map((p) => ({ url: p, cookie: admin.cookie })), { url: '/ideas', cookie: '' }]
    for (const { url, cookie } of requests) {
      for (const cursor of BAD_CURSORS) {
        const res = await t.request(`${url}?cursor=${encodeURIComponent(cursor)}`, { headers: cookie ? { cookie } : {} })
        expect([url, cursor, res.status]).toEqual([url, cursor, 400])
        expect(await res.text()).toContain('Sidmarkören är ogiltig')
      }
    }
  })

  it('is refused when its sort value does not fit the chosen sort', async () => {
    const wrongType = [
      ['/api/v1/contacts?sort=updated', b64(['igår', 'a', UUID])],
      ['/api/v1/organisations?sort=updated', b64(['2024-01-01T25:00:00Z', 'a', UUID])],
      ['/api/v1/alliances?sort=status', b64(['active', 'a', UUID])],
      ['/api/v1/alliances?sort=review', b64(['soon', 'a', UUID])],
      ['/api/v1/activities?sort=date', b64(['2024-02-30', 'a', UUID])],
      ['/api/v1/interactions', b64(['yesterday', UUID])],
    ]
    for (const [url, cursor] of wrongType) {
      const res = await t.request(`${url}&cursor=${cursor}`.replace('interactions&', 'interactions?'), { headers: token.headers })
      expect([url, res.status]).toEqual([url, 400])
      expect((await res.json()).error.fields).toHaveProperty('cursor')
    }
  })

  it('still pages on when the cursor is one the list handed out', async () => {
    for (const name of ['Östgöta', 'Ale', 'Bjuv']) {
      const res = await t.request('/api/v1/themes', { method: 'POST', headers: { ...token.headers, 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
      expect(res.status).toBe(201)
    }
    const first = await (await t.request('/api/v1/themes?limit=2', { headers: token.headers })).json()
    expect(first.data.map((x: { name: string }) => x.name)).toEqual(['Ale', 'Bjuv'])
    const second = await (await t.request(`/api/v1/themes?limit=2&cursor=${first.next_cursor}`, { headers: token.headers })).json()
    expect(second.data.map((x: { name: string }) => x.name)).toEqual(['Östgöta'])
    expect(second.next_cursor).toBeNull()
  })
})
