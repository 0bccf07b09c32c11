import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest } from '../helpers/app.ts'
import { outreachApp, until } from '../newsletter/helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

const cancelLinkIn = (text: string) => /http:\/\/localhost\/events\/cancel\?token=([a-z2-7]{40})/.exec(text)

describe('event registration with a waitlist', () => {
  let t: App
  let headers: Record<string, string>
  let activityId: string
  let choiceId: string
  let dietId: string

  beforeAll(async () => {
    t = await outreachApp()
    headers = (await t.apiToken('editor')).headers
    const a = await t.request('/api/v1/activities', jsonRequest('POST', {
      title: 'Seminarium om etablering', type: 'seminar', status: 'planned', start_date: '2099-03-11', location: 'Stockholm', participants: [],
    }, headers))
    expect(a.status).toBe(201)
    activityId = (await a.json()).id
    const s = await t.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', {
      open: true, capacity: 2, deadline: '2099-03-01',
      questions: [{ label: 'Specialkost', kind: 'text' }, { label: 'Pass', kind: 'choice', options: ['Förmiddag', 'Eftermiddag'], required: true }],
    }, headers))
    expect(s.status).toBe(200)
    const settings = await s.json()
    dietId = settings.questions[0].id
    choiceId = settings.questions[1].id
  })
  afterAll(() => t.close())

  const registrationsOf = async () => (await (await t.request(`/api/v1/activities/${activityId}/registrations`, { headers })).json()).data
  const participants = async () => (await (await t.request(`/api/v1/activities/${activityId}`, { headers })).json()).participants
  const registerAs = (name: string, email: string, extra: Record<string, string> = {}) =>
    t.request(`/events/${activityId}`, formPost({ name, email, organisation: 'Länsstyrelsen i Skåne', [`q_${dietId}`]: 'Vegetarisk', [`q_${choiceId}`]: 'Förmiddag', ...extra }))

  it('shows the public page without a login, in Swedish and English', async () => {
    const sv = await (await t.request(`/events/${activityId}`)).text()
    expect(sv).toContain('Seminarium om etablering')
    expect(sv).toContain('Platser kvar: 2')
    expect(sv).toContain('Sista anmälningsdag: 2099-03-01')
    expect(sv).toContain('Specialkost')
    const en = await (await t.request(`/events/${activityId}?lang=en`)).text()
    expect(en).toContain('Places left: 2')
    // An activity whose registration is not set up has no public page.
    const other = await (await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Internt möte', type: 'seminar', participants: [] }, headers))).json()
    expect((await t.request(`/events/${other.id}`)).status).toBe(404)
  })

  it('refuses a missing answer to a required question, next to the question', async () => {
    const res = await registerAs('Eva Holm', 'eva.holm@example.org', { [`q_${choiceId}`]: '' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain(`id="f-q_${choiceId}-error"`)
    expect(html).toContain('Välj ett av alternativen.')
    const crafted = await registerAs('Eva Holm', 'eva.holm@example.org', { [`q_${choiceId}`]: 'Natt' })
    expect(crafted.status).toBe(422)
    expect(await registrationsOf()).toHaveLength(0)
  })

  it('capacity 2: the third goes on the waitlist; a cancellation by the mailed link promotes them and mails them', async () => {
    expect(await (await registerAs('Anna Berg', 'anna.berg@example.org')).text()).toContain('Du är anmäld')
    expect(await (await registerAs('Bo Ek', 'bo.ek@example.org')).text()).toContain('Du är anmäld')
    const third = await registerAs('Cecilia Lund', 'cecilia.lund@example.org')
    expect(third.status).toBe(200)
    expect(await third.text()).toContain('Du står på väntelistan')
    expect(await (await t.request(`/events/${activityId}`)).text()).toContain('Alla platser är tagna')

    const mails = await t.smtp.waitFor(3)
    const to = (addr: string) => mails.find((m) => m.envelope.to[0] === addr)!
    const anna = to('anna.berg@example.org')
    expect(anna.mail.subject).toBe('Bekräftelse: Seminarium om etablering')
    // The event as a calendar file: an all-day event, its end day exclusive.
    const ics = anna.mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))
    expect(ics).toBeDefined()
    const cal = ics!.content.toString('utf8')
    expect(cal).toContain('BEGIN:VEVENT')
    expect(cal).toContain('SUMMARY:Seminarium om etablering')
    expect(cal).toMatch(/DTSTART;VALUE=DATE:20990311/)
    expect(cal).toMatch(/DTEND;VALUE=DATE:20990312/)
    expect(cal).toContain('LOCATION:Stockholm')
    const cecilia = to('cecilia.lund@example.org')
    expect(cecilia.mail.subject).toBe('Väntelista: Seminarium om etablering')
    expect(cecilia.mail.attachments).toHaveLength(0)

    // Registrations are participants with attendance `registered`; the waitlisted one is not (yet).
    const before = await participants()
    expect(before.map((p: { attendance: string }) => p.attendance)).toEqual(['registered', 'registered'])
    const regs = await registrationsOf()
    expect(regs.map((r: { status: string }) => r.status)).toEqual(['registered', 'registered', 'waitlisted'])
    expect(regs[0].answers).toEqual({ [dietId]: 'Vegetarisk', [choiceId]: 'Förmiddag' })

    // The consent record keeps the text agreed to.
    const admin = (await t.apiToken('admin')).headers
    const consents = await (await t.request(`/api/v1/contacts/${regs[0].contact_id}/consents`, { headers: admin })).json()
    expect(consents.data[0]).toMatchObject({ purpose: `event:${activityId}`, method: 'form' })
    expect(consents.data[0].text).toContain('hantera min anmälan')

    // Opening the cancel link (what a link scanner does) cancels nothing: it asks.
    const token = cancelLinkIn(anna.mail.text ?? '')![1]!
    const page = await t.request(`/events/cancel?token=${token}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Vill du avanmäla dig från Seminarium om etablering?')
    expect((await registrationsOf())[0].status).toBe('registered')

    const cancelled = await t.request('/events/cancel', formPost({ token }))
    expect(cancelled.status).toBe(200)
    expect(await cancelled.text()).toContain('Du är avanmäld')
    // A second use still says it worked.
    const again = await t.request('/events/cancel', formPost({ token }))
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('Du är avanmäld')

    const promoted = await until(async () => t.smtp.received.find((m) => m.envelope.to[0] === 'cecilia.lund@example.org' && m.mail.subject?.startsWith('Du har fått en plats')))
    expect(promoted.mail.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true)
    expect(cancelLinkIn(promoted.mail.text ?? '')).not.toBeNull()
    const after = await registrationsOf()
    expect(after.map((r: { status: string }) => r.status)).toEqual(['cancelled', 'registered', 'registered'])
    expect(after[2].promoted_at).toMatch(/^\d{4}-/)
    const now = await participants()
    expect(now).toHaveLength(2)
    expect(now.every((p: { attendance: string }) => p.attendance === 'registered')).toBe(true)
    expect(now.map((p: { contact_id: string }) => p.contact_id)).not.toContain(regs[0].contact_id)
    // Only the one promotion: nobody else was mailed.
    await new Promise((r) => setTimeout(r, 300))
    expect(t.smtp.received).toHaveLength(4)
  })

  it('matches a registrant to the contact with that address, never by name, and creates one otherwise', async () => {
    const known = await (await t.request('/api/v1/contacts', jsonRequest('POST', { first_name: 'Dag', last_name: 'Nyström', email: 'dag.nystrom@example.org' }, headers))).json()
    await registerAs('D. Nyström', 'DAG.NYSTROM@example.org')
    const regs = await registrationsOf()
    expect(regs.at(-1)).toMatchObject({ contact_id: known.id, status: 'waitlisted' })
    // Same name, another address: another person.
    await registerAs('Dag Nyström', 'dag.n@example.org')
    const found = await (await t.request('/api/v1/contacts?q=Nyström', { headers })).json()
    expect(found.data).toHaveLength(2)
    const created = found.data.find((c: { email: string }) => c.email === 'dag.n@example.org')
    expect(created.categories).toEqual(['recipient'])
  })

  it('a closed registration or a passed deadline takes nobody', async () => {
    const settings = await (await t.request(`/api/v1/activities/${activityId}/registration`, { headers })).json()
    const put = await t.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', {
      version: settings.settings.version, open: true, capacity: 2, deadline: '2020-01-01', questions: settings.settings.questions,
    }, headers))
    expect(put.status).toBe(200)
    expect(await (await t.request(`/events/${activityId}`)).text()).toContain('Sista anmälningsdag har passerat.')
    const late = await registerAs('Eva Holm', 'eva.holm@example.org')
    expect(late.status).toBe(422)
    // A stale version is a conflict, not a silent overwrite.
    const stale = await t.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', { version: settings.settings.version, open: false }, headers))
    expect(stale.status).toBe(409)
  })

  it('erasing a registrant removes their answers (dietary needs can be health data)', async () => {
    const bo = (await registrationsOf()).find((r: { email: string }) => r.email === 'bo.ek@example.org')
    expect(bo.answers).not.toEqual({})
    const admin = (await t.apiToken('admin')).headers
    const decision = await (await t.request('/api/v1/retention/decisions', jsonRequest('POST', {
      reference: 'Dnr 2026/77', title: 'Gallring av anmälningar', decided_on: '2026-01-15', covers: 'Anmälningar till evenemang', retention_period: '1 år',
    }, admin))).json()
    const res = await t.request(`/api/v1/contacts/${bo.contact_id}/erase`, jsonRequest('POST', { confirm: 'Bo Ek', mode: 'anonymise', decision_id: decision.id }, admin))
    expect(res.status, await res.clone().text()).toBe(200)
    const after = (await registrationsOf()).find((r: { id: string }) => r.id === bo.id)
    expect(after).toMatchObject({ name: null, email: null })
    expect(after.answers).toEqual({})
  })

  it('an unknown or malformed cancel token is a 400 page, not an error', async () => {
    expect((await t.request('/events/cancel?token=nope')).status).toBe(400)
    const res = await t.request('/events/cancel', formPost({ token: 'a'.repeat(40) }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Länken är ogiltig')
  })
})
