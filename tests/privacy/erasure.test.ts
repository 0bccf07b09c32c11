import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { acceptMapping, run, upload } from '../import/import-helpers.ts'
import { apiAs, privacyApp, type Api, type Who } from './helpers.ts'
import { traces, wholeDatabase } from './dump.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: Api
let decision: { id: string }
beforeAll(async () => {
  ;({ t, editor, admin, api } = await privacyApp())
  decision = await api.ok(admin, 'POST', '/api/v1/retention/decisions', {
    reference: 'Dnr 2026/123', title: 'Gallring av uppgifter om kontaktpersoner', decided_on: '2026-01-15', covers: 'Kontaktpersoner i nätverksregistret', retention_period: '3 år',
  })
})
afterAll(() => t.close())

let seq = 0
/** A person written about everywhere a name, e-mail or phone can end up, through the API and the import. */
async function personEverywhere() {
  const n = ++seq
  const [first, last, email, phoneTyped] = [`Ebba`, `Raderasson${'abcdefghij'[n]}`, `ebba.raderasson${n}@example.se`, `070-174 06 ${50 + n}`]
  const full = `${first} ${last}`
  const org = await api.ok(editor, 'POST', '/api/v1/organisations', { name: `Raderingskommun ${n}`, kind: 'municipality' })
  const p = await api.ok(editor, 'POST', '/api/v1/contacts', {
    first_name: first, last_name: last, email, phone: phoneTyped, title: 'Enhetschef', notes: `Privat: ${full} har ${phoneTyped}`,
    categories: ['official'], county: 'Jönköpings län', affiliations: [{ organisation_id: org.id, role: 'Enhetschef' }],
  })
  await api.ok(editor, 'PATCH', `/api/v1/contacts/${p.id}`, { version: p.version, notes: `Ny anteckning om ${first}`, email: `x${email}` }, 200)
  await api.ok(editor, 'PATCH', `/api/v1/contacts/${p.id}`, { version: p.version + 1, email }, 200)
  const linked = await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'call', occurred_on: '2026-02-01', summary: `${first} ringde om mottagandet`, contact_ids: [p.id] })
  await api.ok(editor, 'PATCH', `/api/v1/interactions/${linked.id}`, { version: linked.version, summary: `${first} ringde igen från ${phoneTyped}` }, 200)
  const mention = await api.ok(editor, 'POST', '/api/v1/interactions', { kind: 'note', occurred_on: '2026-02-02', summary: `Kommunen skickar ${full} (${email})`, organisation_ids: [org.id] })
  const colleague = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Kalle', last_name: 'Kollega', notes: `Ersätter ${full} under våren` })
  await api.ok(editor, 'POST', '/api/v1/activities', {
    // The title names the person with two spaces between the names, as typed.
    title: `Seminarium ${n} med ${first}  ${last}`, type: 'seminar', status: 'done', start_date: '2026-03-01', outcome: `${full} höll ett uppskattat föredrag`,
    participants: [{ contact_id: p.id, role: 'speaker', attendance: 'attended' }],
  })
  await api.ok(editor, 'POST', `/api/v1/contacts/${p.id}/consents`, { purpose: 'newsletter', method: 'form', text: 'Jag vill ha nyhetsbrevet.' })
  // An import whose failed row is about the person (report), and an upload left unfinished.
  const browser = await t.browser('editor')
  const csv = `Förnamn;Efternamn;E-post;Telefon;Län\n${first};${last};${email};${phoneTyped};Inget sådant län\nAnna;Annan;anna.annan${n}@example.se;;\n`
  const done = await upload(t, browser.cookie, 'contacts', csv)
  await acceptMapping(t, browser.cookie, done)
  await run(t, browser.cookie, done)
  await upload(t, browser.cookie, 'contacts', csv)
  return { p, org, linked, mention, colleague, first, last, full, email, phone: (await api.ok(editor, 'GET', `/api/v1/contacts/${p.id}`)).phone as string, phoneTyped }
}

const needlesOf = (s: Awaited<ReturnType<typeof personEverywhere>>) => [s.full, s.last, s.email, s.phone, s.phone.replace('+46', '0'), s.phoneTyped]

describe('erasure: anonymise', () => {
  it('leaves no trace of the name, e-mail or phone anywhere in the whole database, keeping an anonymous node', async () => {
    const s = await personEverywhere()
    // Before: the dump holds them (so the check below can see them).
    expect(traces(await wholeDatabase(t), needlesOf(s))).toEqual(expect.arrayContaining([s.full, s.last, s.email, s.phone, s.phoneTyped]))

    const res = await api.call(admin, 'POST', `/api/v1/contacts/${s.p.id}/erase`, { confirm: s.full, mode: 'anonymise', decision_id: decision.id })
    expect(res.status, await res.clone().text()).toBe(200)

    expect(traces(await wholeDatabase(t), needlesOf(s))).toEqual([])
    // The anonymous node: its categories, county, links and counts survive.
    const anon = await t.db.selectFrom('contacts').selectAll().where('id', '=', s.p.id).executeTakeFirstOrThrow()
    expect(anon).toMatchObject({ first_name: null, last_name: null, email: null, phone: null, notes: null, title: null, categories: ['official'], county: 'Jönköpings län' })
    expect(anon.erased_at).toBeTruthy()
    expect(await t.db.selectFrom('affiliations').select('organisation_id').where('contact_id', '=', s.p.id).execute()).toEqual([{ organisation_id: s.org.id }])
    expect(await t.db.selectFrom('activity_participants').select('id').where('contact_id', '=', s.p.id).execute()).toHaveLength(1)
    // Other records keep their own text around the gap.
    const mention = await api.ok(editor, 'GET', `/api/v1/interactions/${s.mention.id}`)
    expect(mention.summary).toBe('Kommunen skickar [raderad] ([raderad])')
    expect((await api.ok(editor, 'GET', `/api/v1/contacts/${s.colleague.id}`)).last_name).toBe('Kollega')
  })

  it('writes exactly one erase entry: by whom, when, under which decision, never who', async () => {
    const s = await personEverywhere()
    await api.ok(admin, 'POST', `/api/v1/contacts/${s.p.id}/erase`, { confirm: s.full, mode: 'anonymise', decision_id: decision.id }, 200)
    const log = await api.ok(admin, 'GET', `/api/v1/audit?entity_type=contact&entity_id=${s.p.id}`)
    const erase = log.data.filter((a: { action: string }) => a.action === 'erase')
    expect(erase).toHaveLength(1)
    expect(erase[0]).toMatchObject({ user_id: admin.user.id, changes: { mode: [null, 'anonymise'], decision_id: [null, decision.id] } })
    expect(traces(JSON.stringify(log), needlesOf(s))).toEqual([])
  })

  it('refuses a wrong name, and without a culling decision under an authority, changing nothing (422)', async () => {
    const s = await personEverywhere()
    const before = await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}`)
    const auditBefore = (await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${s.p.id}&limit=200`)).data.length
    for (const body of [
      { confirm: 'Ebba Någon', mode: 'anonymise', decision_id: decision.id },
      { confirm: s.full, mode: 'anonymise' },
      { confirm: s.full, mode: 'anonymise', decision_id: '00000000-0000-4000-8000-000000000000' },
      { confirm: '', mode: 'restrict' },
    ]) {
      const res = await api.call(admin, 'POST', `/api/v1/contacts/${s.p.id}/erase`, body)
      expect(res.status, JSON.stringify(body)).toBe(422)
    }
    expect(await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}`)).toEqual(before)
    expect((await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${s.p.id}&limit=200`)).data.length).toBe(auditBefore)
    expect((await api.call(editor, 'POST', `/api/v1/contacts/${s.p.id}/erase`, { confirm: s.full, mode: 'restrict' })).status).toBe(403)
  })

  it('keeps the anonymous record anonymous: no edit, no new note or consent names the person again (409 / 400)', async () => {
    const s = await personEverywhere()
    await api.ok(admin, 'POST', `/api/v1/contacts/${s.p.id}/erase`, { confirm: s.full, mode: 'anonymise', decision_id: decision.id }, 200)
    const erased = await api.ok(editor, 'GET', `/api/v1/contacts/${s.p.id}`)

    const patch = await api.call(editor, 'PATCH', `/api/v1/contacts/${s.p.id}?lang=en`, { version: erased.version, first_name: s.first, last_name: s.last, email: s.email })
    expect(patch.status).toBe(409)
    expect(await patch.json()).toEqual({ error: { code: 'conflict', message: 'This person was erased: the record cannot be edited, and no new notes or consents can be linked to it.' } })

    const browser = await t.browser('editor')
    const page = await t.request(`/contacts/${s.p.id}`, { headers: { cookie: `${browser.cookie}; lang=en` } })
    const html = await page.text()
    expect(html).toContain('This person was erased.')
    expect(html).not.toContain(`href="/contacts/${s.p.id}/edit"`)
    expect(html).not.toContain(`/interactions/new?contact_id=${s.p.id}`)
    const edit = await t.request(`/contacts/${s.p.id}/edit`, { headers: { cookie: browser.cookie } })
    expect(edit.status).toBe(409)
    const refused = await edit.text()
    expect(refused).toContain('Personen är raderad: posten kan inte ändras')
    // Headed as a refusal, not as something gone wrong.
    expect(refused).toMatch(/<h1>Kan inte ändras<\/h1>/)
    expect(refused).toMatch(/<title>Kan inte ändras/)
    expect(refused).not.toContain('Något gick fel')
    const refusedEn = await (await t.request(`/contacts/${s.p.id}/edit?lang=en`, { headers: { cookie: browser.cookie } })).text()
    expect(refusedEn).toMatch(/<h1>Cannot be changed<\/h1>/)
    const posted = await t.request(`/contacts/${s.p.id}`, formPost({ version: String(erased.version), first_name: s.first, last_name: s.last, phone: s.phoneTyped }, browser.cookie))
    expect(posted.status).toBe(409)
    // The refusal's reason, not a form with the name typed back into it — an invalid one included.
    for (const res of [posted, await t.request(`/contacts/${s.p.id}`, formPost({ version: String(erased.version), first_name: s.first, last_name: s.last, email: 'inte-en-adress' }, browser.cookie))]) {
      expect(res.status).toBe(409)
      const refusal = await res.text()
      expect(refusal).toContain('Personen är raderad: posten kan inte ändras')
      expect(refusal).not.toContain(`value="${s.first}"`)
    }

    const note = await api.call(editor, 'POST', '/api/v1/interactions', { kind: 'call', occurred_on: '2026-04-01', summary: 'Ringde igen', contact_ids: [s.p.id, s.colleague.id] })
    expect(note.status).toBe(400)
    expect((await note.json()).error.fields).toHaveProperty('contact_ids')
    const consent = await api.call(editor, 'POST', `/api/v1/contacts/${s.p.id}/consents`, { purpose: 'newsletter', method: 'form', text: 'Jag vill ha nyhetsbrevet.' })
    expect(consent.status).toBe(409)

    // Nor a tag from the list's selection (free text, which could be the name), nor a new seat,
    // membership, participation or plan target.
    const tagged = await t.request('/contacts/bulk', { ...formPost({}, browser.cookie), body: new URLSearchParams([['id', s.p.id], ['id', s.colleague.id], ['action', 'tag'], ['tag', 'granskad']]).toString() })
    expect(tagged.status).toBe(303)
    expect((await api.ok(editor, 'GET', `/api/v1/contacts/${s.colleague.id}`)).tags).toEqual(['granskad'])
    const body = await api.call(editor, 'POST', '/api/v1/bodies', { name: `Styrgrupp ${s.last}`, seats: [{ contact_id: s.p.id, role: 'chair' }] })
    expect(body.status).toBe(400)
    const alliance = await api.call(editor, 'POST', '/api/v1/alliances', { name: `Allians ${s.last}`, members: [{ organisation_id: s.org.id, contact_id: s.p.id }] })
    expect(alliance.status).toBe(400)
    const activity = await api.call(editor, 'POST', '/api/v1/activities', { title: `Möte ${s.last}`, type: 'meeting', start_date: '2026-04-02', participants: [{ contact_id: s.p.id, role: 'participant' }] })
    expect(activity.status).toBe(400)
    // The pickers do not offer the person: not at their organisation, not by a word of their old title.
    const offered = await t.request(`/contacts/options?organisation_id=${s.org.id}`, { headers: { cookie: browser.cookie } })
    expect(await offered.text()).not.toContain(s.p.id)
    // Nor a new target of a dissemination plan: there is no one left to reach.
    const plan = await api.call(editor, 'POST', '/api/v1/plans', { name: `Spridning ${s.last}`, target: { contact_ids: [s.p.id, s.colleague.id] } })
    expect(plan.status).toBe(400)
    expect((await plan.json()).error.fields).toHaveProperty(['target.contact_ids'])

    // A note written before the erasure stays editable, its link to the anonymous node kept.
    const old = await api.ok(editor, 'GET', `/api/v1/interactions/${s.linked.id}`)
    const kept = await api.ok(editor, 'PATCH', `/api/v1/interactions/${s.linked.id}`, { version: old.version, occurred_on: '2026-02-03' }, 200)
    expect(kept.contact_ids).toEqual([s.p.id])

    expect(await api.ok(editor, 'GET', `/api/v1/contacts/${s.p.id}`)).toEqual(erased)
    expect(traces(await wholeDatabase(t), needlesOf(s))).toEqual([])
  })

  it('anonymises on request without a decision when the controller is not an authority', async () => {
    const other = await testApp({ controllerKind: 'other' })
    try {
      const a = await other.apiToken('admin')
      const o = apiAs(other)
      const p = await o.ok(a, 'POST', '/api/v1/contacts', { first_name: 'Nils', last_name: 'Nonauthority', email: 'nils.nonauthority@example.se' })
      await o.ok(a, 'POST', `/api/v1/contacts/${p.id}/erase`, { confirm: 'nils  nonauthority', mode: 'anonymise' }, 200)
      expect(traces(await wholeDatabase(other), ['Nonauthority', 'nils.nonauthority@example.se'])).toEqual([])
    } finally {
      await other.close()
    }
  })
})

describe('erasure: restrict', () => {
  it('restricts and lifts the restriction, both audited, and can be done from the page', async () => {
    const s = await personEverywhere()
    await api.ok(admin, 'POST', `/api/v1/contacts/${s.p.id}/erase`, { confirm: s.full, mode: 'restrict' }, 200)
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}`)).restricted).toBe(true)
    await api.ok(admin, 'POST', `/api/v1/contacts/${s.p.id}/unrestrict`, undefined, 200)
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}`)).restricted).toBe(false)
    const log = await api.ok(admin, 'GET', `/api/v1/audit?entity_type=contact&entity_id=${s.p.id}`)
    expect(log.data.filter((a: { action: string }) => a.action === 'restrict').map((a: { changes: object }) => a.changes)).toEqual([
      { restricted: [true, false] }, { restricted: [false, true] },
    ])

    const browser = await t.browser('admin')
    const form = await t.request(`/contacts/${s.p.id}/erase`, { headers: { cookie: `${browser.cookie}; lang=en` } })
    expect(await form.text()).toContain(`Type the person&#39;s full name to confirm: ${s.full}`)
    const wrong = await t.request(`/contacts/${s.p.id}/erase`, formPost({ mode: 'restrict', confirm: 'Fel Namn' }, `${browser.cookie}; lang=en`))
    expect(wrong.status).toBe(422)
    expect(await wrong.text()).toContain('Type the person&#39;s full name exactly as shown to confirm.')
    const ok = await t.request(`/contacts/${s.p.id}/erase`, formPost({ mode: 'restrict', confirm: s.full }, browser.cookie))
    expect(ok.status).toBe(303)
    expect((await api.ok(admin, 'GET', `/api/v1/contacts/${s.p.id}`)).restricted).toBe(true)
  })
})
