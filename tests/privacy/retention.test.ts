import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createContact } from '../../src/contacts/contacts.service.ts'
import { applyAutomaticRules } from '../../src/privacy/retention.service.ts'
import { formPost, type TestApp } from '../helpers/app.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: Api
let decision: { id: string }
beforeAll(async () => {
  ;({ t, editor, admin, api } = await privacyApp())
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

  it('the daily run removes sign-ups left unconfirmed for 30 days, and the person when the sign-up was all there was', async () => {
    const list = await api.ok(editor, 'POST', '/api/v1/newsletter/lists', { name: 'Nyhetsbrev om gallring' })
    // As the public sign-up makes them: a contact by nobody, a pending subscription.
    const signUp = await createContact(t.db, { first_name: 'Olle', last_name: 'Obekräftad', email: 'olle.obekraftad@example.se', categories: ['recipient'], affiliations: [] } as never, { userId: null })
    const known = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Stina', last_name: 'Stabil', email: 'stina.stabil@example.se' })
    const recent = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Nils', last_name: 'Nyligen', email: 'nils.nyligen@example.se' })
    const confirmed = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Bo', last_name: 'Bekräftad', email: 'bo.bekraftad@example.se' })
    const sub = (contact_id: string, status: 'pending' | 'subscribed', daysAgo: number) =>
      t.db.insertInto('newsletter_subscriptions').values({
        list_id: list.id, contact_id, status, consent_text: 'Jag vill ha nyhetsbrevet.', updated_at: sql`now() - make_interval(days => ${daysAgo})` as never,
      }).returning('id').executeTakeFirstOrThrow()
    const [olle, stina, nils, bo] = [await sub(signUp.id, 'pending', 40), await sub(known.id, 'pending', 31), await sub(recent.id, 'pending', 29), await sub(confirmed.id, 'subscribed', 400)]

    const rule = await api.ok(admin, 'POST', '/api/v1/retention/rules', { kind: 'unconfirmed_subscriptions', months: 0, action: 'delete', automatic: true, decision_id: decision.id })
    const due = (await api.ok(admin, 'GET', '/api/v1/retention/due')).data.filter((d: { rule_id: string }) => d.rule_id === rule.id)
    expect(due.map((d: { entity_id: string }) => d.entity_id).sort()).toEqual([olle.id, stina.id].sort())
    expect(due[0]).toMatchObject({ entity_type: 'subscription', label: 'Nyhetsbrev om gallring' })

    expect(await applyAutomaticRules(t.db, t.erasureLog)).toBeGreaterThanOrEqual(2)
    const left = await t.db.selectFrom('newsletter_subscriptions').select('id').where('list_id', '=', list.id).execute()
    expect(left.map((r) => r.id).sort()).toEqual([nils.id, bo.id].sort())
    // The sign-up was all the register knew of Olle: anonymised; Stina stays as she was.
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${signUp.id}`)).email).toBeNull()
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${known.id}`)).email).toBe('stina.stabil@example.se')
    const log = await t.db.selectFrom('culling_log').selectAll().where('rule_id', '=', rule.id).execute()
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ entity_type: 'subscription', action: 'delete', count: 2 })
  })
})
