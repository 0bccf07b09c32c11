import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiAs, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: ReturnType<typeof apiAs>
beforeAll(async () => {
  t = await testApp()
  ;[editor, admin] = [await t.apiToken('editor'), await t.apiToken('admin')]
  api = apiAs(t)
})
afterAll(() => t.close())

describe('record of processing activities (registerförteckning, art. 30)', () => {
  it('is generated from the settings, the rules in force and the register, names nobody, for admins only', async () => {
    await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Rut', last_name: 'Registersson', categories: ['official'] })
    await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Sam', last_name: 'Skyddsdal', categories: ['official', 'media'], protected_identity: true })
    const decision = await api.ok(admin, 'POST', '/api/v1/retention/decisions', { reference: 'Dnr 2026/77', title: 'Gallring av nätverksregistret', decided_on: '2026-02-01' })
    await api.ok(admin, 'POST', '/api/v1/retention/rules', { kind: 'unconfirmed_subscriptions', months: 0, action: 'delete', automatic: true, decision_id: decision.id })
    const browser = await t.browser('admin')
    const form = await t.request('/admin/privacy', { headers: { cookie: browser.cookie } })
    expect(await form.text()).toContain('href="/admin/privacy/record"')

    const r = await api.ok(admin, 'GET', '/api/v1/privacy/record')
    expect(r.controller_kind).toBe('authority')
    expect(r.data_subjects).toMatchObject({ people: 2, protected_identity: 1, restricted: 0 })
    expect(r.data_subjects.by_category).toEqual(expect.arrayContaining([{ category: 'official', label: 'Tjänsteperson', people: 2 }, expect.objectContaining({ category: 'media', people: 1 })]))
    expect(r.lawful_bases).toEqual([expect.objectContaining({ basis: 'public_task', people: 2 })])
    expect(r.retention).toEqual([expect.objectContaining({ kind: 'unconfirmed_subscriptions', automatic: true, decision: 'Dnr 2026/77 Gallring av nätverksregistret (2026-02-01)' })])
    for (const key of ['purpose', 'recipients', 'source', 'third_countries', 'special_categories']) expect(r[key], key).toBeTruthy()
    expect(r.personal_data.length).toBeGreaterThan(5)
    expect(r.security.length).toBeGreaterThan(5)
    expect(JSON.stringify(r)).not.toMatch(/Registersson|Skyddsdal/)

    for (const lang of ['sv', 'en']) {
      const page = await t.request('/admin/privacy/record', { headers: { cookie: browser.cookie, 'accept-language': lang } })
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain(lang === 'sv' ? 'Registerförteckning' : 'Record of processing activities')
      expect(html).toContain('Dnr 2026/77')
    }
    expect((await api.call(editor, 'GET', '/api/v1/privacy/record')).status).toBe(403)
    const editorBrowser = await t.browser('editor')
    expect((await t.request('/admin/privacy/record', { headers: { cookie: editorBrowser.cookie } })).status).toBe(403)
  })
})
