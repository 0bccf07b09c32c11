import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, type TestApp } from '../helpers/app.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: Api
beforeAll(async () => ({ t, editor, admin, api } = await privacyApp()))
afterAll(() => t.close())

describe('merging people', () => {
  it('shows an editor no person under restricted processing to merge, nor merges one, on the page or the API', async () => {
    const open = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Mia', last_name: 'Merge', email: 'mia.merge@example.se' })
    const held = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Rolf', last_name: 'Dold', email: 'rolf.dold@example.se' })
    await api.ok(admin, 'POST', `/api/v1/contacts/${held.id}/erase`, { confirm: 'Rolf Dold', mode: 'restrict' }, 200)
    const browser = await t.browser('editor')
    for (const [a, b] of [[open.id, held.id], [held.id, open.id]]) {
      const page = await t.request(`/contacts/merge?a=${a}&b=${b}`, { headers: { cookie: browser.cookie } })
      expect(page.status).toBe(404)
      expect(await page.text()).not.toContain('rolf.dold@example.se')
    }
    const post = await t.request('/contacts/merge', { ...formPost({ a: open.id, b: held.id, keep: 'a', version_a: '1', version_b: String(held.version + 1) }, browser.cookie) })
    expect(post.status).toBe(404)
    const viaApi = await api.call(editor, 'POST', `/api/v1/contacts/${open.id}/merge`, { other_id: held.id, version: open.version, other_version: held.version + 1 })
    expect(viaApi.status).toBe(404)
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${held.id}`)).deleted_at ?? null).toBeNull()
  })
})
