import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyAutomaticRules } from '../../src/privacy/retention.service.ts'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { apiAs, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: ReturnType<typeof apiAs>
let decision: { id: string }
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  admin = await t.apiToken('admin')
  api = apiAs(t)
  decision = await api.ok(admin, 'POST', '/api/v1/retention/decisions', { reference: 'Dnr 2026/55', title: 'Gallring i kontaktregistret', decided_on: '2026-01-10', covers: 'Kontakter och anteckningar' })
})
afterAll(() => t.close())

const engagedLongAgo = async (first: string, last: string) => {
  const p = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: first, last_name: last })
  await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'meeting', occurred_on: '2020-05-01', summary: 'Gammalt möte', contact_ids: [p.id] })
  return p
}

describe('retention (gallring)', () => {
  it('lists what is due; the review page keeps one with a reason and anonymises another, each in the culling log', async () => {
    const decisions = await api.ok(admin, 'GET', '/api/v1/retention/decisions')
    expect(decisions.data.map((d: { reference: string }) => d.reference)).toContain('Dnr 2026/55')
    const rule = await api.ok(admin, 'POST', '/api/v1/retention/rules', { kind: 'contacts_not_engaged', months: 24, decision_id: decision.id })
    const kept = await engagedLongAgo('Kurt', 'Kvarsson')
    const culled = await engagedLongAgo('Gull', 'Gallrasson')
    const recent = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Nina', last_name: 'Nysson' })

    const due = (await api.ok(admin, 'GET', '/api/v1/retention/due')).data.map((d: { entity_id: string }) => d.entity_id)
    expect(due).toEqual(expect.arrayContaining([kept.id, culled.id]))
    expect(due).not.toContain(recent.id)

    const browser = await t.browser('admin')
    const page = await (await t.request('/admin/retention', { headers: { cookie: browser.cookie } })).text()
    expect(page).toContain('Kurt Kvarsson')
    const noReason = await t.request('/admin/retention/cull', formPost({ rule_id: rule.id, action: 'keep', ids: kept.id }, browser.cookie))
    expect(noReason.status).toBe(400)
    const keep = await t.request('/admin/retention/cull', formPost({ rule_id: rule.id, action: 'keep', ids: kept.id, reason: 'Sitter i styrgruppen', review_on: '2027-06-01' }, browser.cookie))
    expect(keep.status).toBe(303)
    const anonymise = await t.request('/admin/retention/cull', formPost({ rule_id: rule.id, action: 'anonymise', ids: culled.id }, browser.cookie))
    expect(anonymise.status).toBe(303)

    const after = (await api.ok(admin, 'GET', '/api/v1/retention/due')).data.map((d: { entity_id: string }) => d.entity_id)
    expect(after).not.toContain(kept.id)
    expect(after).not.toContain(culled.id)
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${culled.id}`)).last_name).toBeNull()

    const csv = await (await t.request('/admin/retention/log.csv', { headers: { cookie: browser.cookie } })).text()
    const rows = parseCsv(csv.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => [r.action, r.count, r.decision])).toEqual(expect.arrayContaining([['keep', '1', 'Dnr 2026/55'], ['anonymise', '1', 'Dnr 2026/55']]))
    expect(rows.find((r) => r.action === 'anonymise')!.entity_ids).toBe(culled.id)
    expect(csv).not.toContain('Gallrasson')
  })

  it('the daily run applies rules marked automatic', async () => {
    const p = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Anna', last_name: 'Anteckning' })
    const old = await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'note', occurred_on: '2019-01-01', summary: 'Känslig gammal anteckning', contact_ids: [p.id] })
    const fresh = await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'note', occurred_on: new Date().toISOString().slice(0, 10), summary: 'Ny anteckning', contact_ids: [p.id] })
    await api.ok(admin, 'POST', '/api/v1/retention/rules', { kind: 'interaction_notes', months: 60, action: 'delete', automatic: true, decision_id: decision.id })
    expect(await applyAutomaticRules(t.db, t.erasureLog)).toBeGreaterThanOrEqual(1)
    expect((await api.call(editor, 'GET', `/api/v1/interactions/${old.id}`)).status).toBe(404)
    expect((await api.call(editor, 'GET', `/api/v1/interactions/${fresh.id}`)).status).toBe(200)
    const audit = await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${old.id}`)
    expect(JSON.stringify(audit)).not.toContain('Känslig gammal anteckning')
  })
})
