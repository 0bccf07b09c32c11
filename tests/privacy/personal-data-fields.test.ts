import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { recordConsent } from '../../src/privacy/consents.service.ts'
import { apiAs, privacyApp, type Api, type Who } from './helpers.ts'

let t: TestApp
let other: TestApp
let editor: Who
let admin: Who
let api: Api
beforeAll(async () => ({ t, editor, admin, api } = await privacyApp()))
afterAll(async () => {
  await t.close()
  await other?.close()
})

describe('contacts: lawful basis, protected identity, restriction, last engaged', () => {
  it('defaults to public task, unprotected, unrestricted and never engaged', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Greta', last_name: 'Grund' })
    expect(c).toMatchObject({ lawful_basis: 'public_task', lawful_basis_note: null, protected_identity: false, restricted: false, last_engaged_on: null })
    expect(c.warnings).toBeUndefined()
  })

  it('warns an authority that chooses legitimate interest, in the response and on the form', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Ivar', last_name: 'Intresse', lawful_basis: 'legitimate_interest' })
    expect(c.lawful_basis).toBe('legitimate_interest')
    expect(c.warnings).toEqual([expect.objectContaining({ field: 'lawful_basis', code: 'legitimate_interest_for_authority' })])
    const browser = await t.browser('editor')
    const page = await (await t.request(`/contacts/${c.id}/edit`, { headers: { cookie: `${browser.cookie}; lang=en` } })).text()
    expect(page).toContain('A public authority cannot rely on legitimate interest')
  })

  it('does not warn a controller that is not an authority', async () => {
    other = await testApp({ controllerKind: 'other' })
    const e = await other.apiToken('editor')
    const c = await apiAs(other).ok(e, 'POST', '/api/v1/contacts', { first_name: 'Olle', last_name: 'Other', lawful_basis: 'legitimate_interest' })
    expect(c.warnings).toBeUndefined()
  })

  it('refuses to set restricted or last_engaged_on through the API (they are read-only)', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Rut', last_name: 'Readonly' })
    for (const field of ['restricted', 'last_engaged_on']) {
      const res = await api.call(editor, 'PATCH', `/api/v1/contacts/${c.id}`, { version: c.version, [field]: field === 'restricted' ? true : '2020-01-01' })
      expect(res.status).toBe(400)
      expect((await res.json()).error.fields[field]).toBeTruthy()
    }
    expect((await api.ok(editor, 'GET', `/api/v1/contacts/${c.id}`)).restricted).toBe(false)
  })

  it('derives last engaged from the latest interaction and attended activity', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Lena', last_name: 'Senast' })
    await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'call', occurred_on: '2025-03-04', summary: 'Samtal', contact_ids: [c.id] })
    expect((await api.ok(editor, 'GET', `/api/v1/contacts/${c.id}`)).last_engaged_on).toBe('2025-03-04')
    await api.ok(editor, 'POST', '/api/v1/activities', {
      title: 'Seminarium', type: 'seminar', status: 'done', start_date: '2025-09-10', participants: [{ contact_id: c.id, role: 'participant', attendance: 'attended' }],
    })
    await api.ok(editor, 'POST', '/api/v1/activities', {
      title: 'Uteblev', type: 'seminar', status: 'done', start_date: '2026-01-10', participants: [{ contact_id: c.id, role: 'participant', attendance: 'no_show' }],
    })
    expect((await api.ok(editor, 'GET', `/api/v1/contacts/${c.id}`)).last_engaged_on).toBe('2025-09-10')
  })

  it('keeps protected identity and the lawful basis note as written', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Sara', last_name: 'Skydd', protected_identity: true, lawful_basis: 'consent', lawful_basis_note: 'Samtycke vid konferens' })
    expect(c).toMatchObject({ protected_identity: true, lawful_basis: 'consent', lawful_basis_note: 'Samtycke vid konferens' })
  })
})

describe('consent records', () => {
  it('records consents with the exact text stored once, lists them and withdraws one, audited', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Siv', last_name: 'Samtycke' })
    const text = 'Jag vill få nyhetsbrevet från nätverket. Jag kan avsluta när som helst.'
    const first = await api.ok(editor, 'POST', `/api/v1/contacts/${c.id}/consents`, { purpose: 'newsletter', given_at: '2026-01-05T10:00:00+01:00', method: 'form', text })
    expect(first).toMatchObject({ purpose: 'newsletter', method: 'form', text, withdrawn_at: null, text_version: 1 })
    expect(first.given_at).toBe('2026-01-05T09:00:00.000Z')
    const second = await recordConsent(t.db, { contact_id: c.id, purpose: 'newsletter', method: 'email', text }, { userId: null })
    expect(second.text_hash).toBe(first.text_hash)
    const changed = await api.ok(editor, 'POST', `/api/v1/contacts/${c.id}/consents`, { purpose: 'newsletter', method: 'in_person', text: text + ' Ny lydelse.' })
    expect(changed.text_version).toBe(2)
    expect(await t.db.selectFrom('consent_texts').select('id').where('purpose', '=', 'newsletter').execute()).toHaveLength(2)

    const withdrawn = await api.ok(editor, 'POST', `/api/v1/contacts/${c.id}/consents/${first.id}/withdraw`, { method: 'email' }, 200)
    expect(withdrawn.withdrawn_at).toBeTruthy()
    expect(withdrawn.withdrawn_method).toBe('email')
    expect((await api.call(editor, 'POST', `/api/v1/contacts/${c.id}/consents/${first.id}/withdraw`, {})).status).toBe(409)

    const list = await api.ok(editor, 'GET', `/api/v1/contacts/${c.id}/consents`)
    expect(list.data).toHaveLength(3)
    const audit = await api.ok(admin, 'GET', `/api/v1/audit?entity_type=contact&entity_id=${c.id}`)
    expect(audit.data.filter((a: { changes: object }) => 'consent' in a.changes)).toHaveLength(3)
    expect(audit.data.filter((a: { changes: object }) => 'consent_withdrawn' in a.changes)).toHaveLength(1)
  })

  it('answers 404 for an unknown person and 400 for a bad method, and viewers may not read consents', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    expect((await api.call(editor, 'POST', `/api/v1/contacts/${missing}/consents`, { purpose: 'x', method: 'form', text: 'y' })).status).toBe(404)
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Bo', last_name: 'Bad' })
    expect((await api.call(editor, 'POST', `/api/v1/contacts/${c.id}/consents`, { purpose: 'x', method: 'telepathy', text: 'y' })).status).toBe(400)
    const viewer = await t.apiToken('viewer')
    expect((await api.call(viewer, 'GET', `/api/v1/contacts/${c.id}/consents`)).status).toBe(403)
  })
})
