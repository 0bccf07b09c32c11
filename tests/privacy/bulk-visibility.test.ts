import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, type TestApp } from '../helpers/app.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: Api
beforeAll(async () => ({ t, editor, admin, api } = await privacyApp()))
afterAll(() => t.close())

describe('the contact list\'s selected-rows actions', () => {
  it('leave a person under restricted processing untouched by an editor, as an edit of the person would (404)', async () => {
    const open = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Tora', last_name: 'Taggad' })
    const held = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Rut', last_name: 'Rörd' })
    const shielded = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Pia', last_name: 'Skyddad', protected_identity: true })
    await api.ok(admin, 'POST', `/api/v1/contacts/${held.id}/erase`, { confirm: 'Rut Rörd', mode: 'restrict' }, 200)
    const theme = await api.ok(editor, 'POST', '/api/v1/themes', { name: 'Begränsningstema' })
    const browser = await t.browser('editor')
    const bulk = (cookie: string, fields: string[][]) =>
      t.request('/contacts/bulk', { ...formPost({}, cookie), body: new URLSearchParams([...[open, held, shielded].map((p) => ['id', p.id]), ...fields]).toString() })
    for (const fields of [[['action', 'tag'], ['tag', 'utskick']], [['action', 'theme'], ['theme_id', theme.id]]]) {
      expect((await bulk(browser.cookie, fields)).status).toBe(303)
    }
    const now = async (id: string) => api.ok(admin, 'GET', `/api/v1/contacts/${id}`)
    // An editor sees (and may change) a protected identity; a restricted person is nobody's to change but an admin's.
    expect(await now(open.id)).toMatchObject({ tags: ['utskick'], theme_ids: [theme.id] })
    expect(await now(shielded.id)).toMatchObject({ tags: ['utskick'], theme_ids: [theme.id] })
    expect(await now(held.id)).toMatchObject({ tags: [], theme_ids: [] })
    expect((await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${held.id}&action=update`)).data).toEqual([])

    const adminBrowser = await t.browser('admin')
    expect((await bulk(adminBrowser.cookie, [['action', 'tag'], ['tag', 'granskad']])).status).toBe(303)
    expect((await now(held.id)).tags).toEqual(['granskad'])
  })
})
