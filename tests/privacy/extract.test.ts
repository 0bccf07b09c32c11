import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: Api
beforeAll(async () => ({ t, editor, admin, api } = await privacyApp()))
afterAll(() => t.close())

/** One person with every kind of record that can be linked to them, all made through the API. */
let made: Awaited<ReturnType<typeof makePerson>> | undefined
const personWithEverything = async () => (made ??= await makePerson())

async function makePerson() {
  const org = await api.ok(editor, 'POST', '/api/v1/organisations', { name: 'Länsstyrelsen i Extraktlän', kind: 'county_board' })
  const p = await api.ok(editor, 'POST', '/api/v1/contacts', {
    first_name: 'Ebba', last_name: 'Extraktsson', email: 'ebba.extraktsson@example.se', phone: '070-174 06 51', notes: 'Föredrar möten på förmiddagen',
    affiliations: [{ organisation_id: org.id, role: 'Integrationsstrateg', start_date: '2020-01-01' }],
  })
  await api.ok(editor, 'PATCH', `/api/v1/contacts/${p.id}`, { version: p.version, title: 'Strateg' }, 200)
  const linked = await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'meeting', occurred_on: '2026-02-01', summary: 'Möte om samverkan', contact_ids: [p.id] })
  const mentioned = await api.ok(editor, 'POST', '/api/v1/interactions', {
    kind: 'note', occurred_on: '2026-02-02', summary: 'Länsstyrelsen skickar Ebba Extraktsson till nästa möte', organisation_ids: [org.id],
  })
  const unrelated = await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'note', occurred_on: '2026-02-03', summary: 'Inget om henne', organisation_ids: [org.id] })
  const activity = await api.ok(editor, 'POST', '/api/v1/activities', {
    title: 'Konferens om mottagande', type: 'conference', status: 'done', start_date: '2026-03-01',
    participants: [{ contact_id: p.id, role: 'speaker', attendance: 'attended' }],
  })
  const body = await api.ok(editor, 'POST', '/api/v1/bodies', {
    name: 'Styrgruppen för extrakt', kind: 'steering_group', seats: [{ contact_id: p.id, organisation_id: org.id, role: 'chair', start_date: '2025-01-01' }],
  })
  const alliance = await api.ok(editor, 'POST', '/api/v1/alliances', {
    name: 'Alliansen för extrakt', members: [{ organisation_id: org.id, role: 'lead', contact_id: p.id }],
  })
  const consent = await api.ok(editor, 'POST', `/api/v1/contacts/${p.id}/consents`, { purpose: 'public_contact_point', method: 'email', text: 'Jag får visas som kontaktperson.' })
  return { org, p, linked, mentioned, unrelated, activity, body, alliance, consent }
}

describe('register extract (art. 15)', () => {
  it('holds every kind of linked record and the processing facts, and the extract is audited', async () => {
    const s = await personWithEverything()
    const x = await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}/extract`)
    expect(Object.keys(x)).toEqual(expect.arrayContaining(['contact', 'affiliations', 'interactions', 'activities', 'seats', 'alliances', 'subscriptions', 'consents', 'audit', 'processing']))
    expect(x.contact).toMatchObject({ first_name: 'Ebba', last_name: 'Extraktsson', email: 'ebba.extraktsson@example.se', notes: 'Föredrar möten på förmiddagen', title: 'Strateg' })
    expect(x.affiliations).toEqual([expect.objectContaining({ organisation: 'Länsstyrelsen i Extraktlän', role: 'Integrationsstrateg' })])
    const interactions = new Map(x.interactions.map((i: { id: string; reference: string }) => [i.id, i.reference]))
    expect(interactions.get(s.linked.id)).toBe('linked')
    expect(interactions.get(s.mentioned.id)).toBe('mentioned')
    expect(interactions.has(s.unrelated.id)).toBe(false)
    expect(x.activities).toEqual([expect.objectContaining({ id: s.activity.id, role: 'speaker', attendance: 'attended' })])
    expect(x.seats).toEqual([expect.objectContaining({ body: 'Styrgruppen för extrakt', role: 'chair' })])
    expect(x.alliances).toEqual([expect.objectContaining({ alliance: 'Alliansen för extrakt', role: 'lead' })])
    expect(x.consents).toEqual([expect.objectContaining({ id: s.consent.id, text: 'Jag får visas som kontaktperson.' })])
    expect(x.subscriptions).toEqual([])
    expect(x.audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['create', 'update']))
    expect(x.audit.find((a: { action: string; changes: Record<string, unknown> }) => a.action === 'update' && a.changes.title)).toBeTruthy()
    expect(x.processing).toMatchObject({ lawful_basis: { basis: 'public_task' } })
    for (const key of ['purposes', 'retention', 'recipients', 'source']) expect(x.processing[key]).toBeTruthy()

    const log = await api.ok(admin, 'GET', `/api/v1/audit?entity_type=contact&entity_id=${s.p.id}`)
    expect(log.data.filter((a: { action: string }) => a.action === 'extract')).toHaveLength(1)
  })

  it('says the processing facts in the reader\'s language, the register settings\' defaults included', async () => {
    const s = await personWithEverything()
    const processing = async (lang: string) =>
      (await (await t.request(`/api/v1/contacts/${s.p.id}/extract`, { headers: { ...admin.headers, 'accept-language': lang } })).json()).processing
    const created = (await api.ok(admin, 'GET', `/api/v1/audit?entity_type=contact&entity_id=${s.p.id}`)).data.find((a: { action: string }) => a.action === 'create')
    const day = new Date(created.at).toISOString().slice(0, 10)
    const sv = await processing('sv')
    expect(Object.keys(sv)).toEqual(['controller', 'dpo_contact', 'purposes', 'lawful_basis', 'retention', 'recipients', 'source', 'controller_kind'])
    expect(sv).toMatchObject({
      purposes: [
        'Registret används för att samordna det nationella tematiska nätverket: vilka som arbetar inom området, samverkan och vad som spridits till vem.',
        'Samtycken: public_contact_point',
      ],
      lawful_basis: { basis: 'public_task', label: 'Uppgift av allmänt intresse / myndighetsutövning' },
      retention: ['Inga gallringsregler är beslutade ännu; uppgifterna bevaras enligt arkivlagen.'],
      recipients: 'Uppgifterna lämnas inte ut till andra mottagare än vad offentlighetsprincipen kräver.',
      source: `Registrerad ${day} av nätverkets sekretariat, från personen själv, organisationen eller offentliga källor.`,
    })
    expect(await processing('en')).toMatchObject({
      purposes: [
        'The register coordinates the national thematic network: who works in the field, cooperation, and what was disseminated to whom.',
        'Consents: public_contact_point',
      ],
      lawful_basis: { basis: 'public_task', label: 'Public task' },
      retention: ['No culling rules have been decided yet; the data are kept under the archive law.'],
      recipients: 'The data are not disclosed to other recipients than the principle of public access requires.',
      source: `Registered ${day} by the network's secretariat, from the person, their organisation or public sources.`,
    })
  })

  it('holds event registrations with their answers, the mail sent to the person and their standing for bulk e-mail', async () => {
    const s = await personWithEverything()
    await t.db.insertInto('event_registrations').values({ activity_id: s.activity.id, contact_id: s.p.id, status: 'registered', answers: JSON.stringify({ kost: 'Vegetarisk' }) }).execute()
    await t.db.insertInto('event_invitations').values({ activity_id: s.activity.id, contact_id: s.p.id, email: 'ebba.extraktsson@example.se', status: 'sent', sent_at: new Date() }).execute()
    const issue = await t.db.insertInto('newsletter_issues').values({ subject: 'Nyheter i mars', body: 'Text', list_ids: [] as never, theme_ids: [] as never, status: 'sent' }).returning('id').executeTakeFirstOrThrow()
    await t.db.insertInto('newsletter_deliveries').values({ issue_id: issue.id, contact_id: s.p.id, email: 'ebba.extraktsson@example.se', status: 'sent', sent_at: new Date() }).execute()
    await t.db.insertInto('mail_standing').values({ contact_id: s.p.id, no_bulk_at: new Date(), hard_bounces: 0 }).execute()
    const x = await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}/extract`)
    expect(x.registrations).toEqual([expect.objectContaining({ activity: 'Konferens om mottagande', status: 'registered', answers: { kost: 'Vegetarisk' } })])
    expect(x.mailings.map((m: { kind: string; what: string }) => [m.kind, m.what]).sort()).toEqual([['invitation', 'Konferens om mottagande'], ['newsletter', 'Nyheter i mars']])
    expect(x.mail_standing).toMatchObject({ hard_bounces: 0 })
    expect(x.mail_standing.no_bulk_e_mail_since).toBeTruthy()
    const page = await (await t.request(`/contacts/${s.p.id}/extract`, { headers: { cookie: (await t.browser('admin')).cookie } })).text()
    expect(page).toContain('Vegetarisk')
    expect(page).toContain('Nyheter i mars')
  })

  it('prints as a page in Swedish and English, for admins only', async () => {
    const s = await personWithEverything()
    const adminBrowser = await t.browser('admin')
    for (const [lang, heading] of [['sv', 'Registerutdrag för Ebba Extraktsson'], ['en', 'Register extract for Ebba Extraktsson']] as const) {
      const res = await t.request(`/contacts/${s.p.id}/extract`, { headers: { cookie: `${adminBrowser.cookie}; lang=${lang}` } })
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain(heading)
      expect(html).toContain('Konferens om mottagande')
      expect(html).toContain('Styrgruppen för extrakt')
      expect(html).toContain('Jag får visas som kontaktperson.')
    }
    const editorBrowser = await t.browser('editor')
    expect((await t.request(`/contacts/${s.p.id}/extract`, { headers: { cookie: editorBrowser.cookie } })).status).toBe(403)
    expect((await api.call(editor, 'GET', `/api/v1/contacts/${s.p.id}/extract`)).status).toBe(403)
    expect((await api.call(admin, 'GET', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/extract')).status).toBe(404)
  })
})
