import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest } from '../helpers/app.ts'
import { outreachApp, until } from '../newsletter/helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

describe('staff cancel a registration from the event page', () => {
  let t: App
  let headers: Record<string, string>
  let editor: { cookie: string; user: { id: string } }
  let activityId: string

  beforeAll(async () => {
    t = await outreachApp()
    headers = (await t.apiToken('editor')).headers
    editor = await t.browser('editor')
    const a = await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Nätverksträff i Umeå', type: 'seminar', status: 'planned', start_date: '2099-05-20', participants: [] }, headers))
    activityId = (await a.json()).id
    expect((await t.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', { open: true, capacity: 1, questions: [] }, headers))).status).toBe(200)
    for (const [name, email] of [['Anna Berg', 'anna.berg@example.org'], ['Bo Ek', 'bo.ek@example.org'], ['Cecilia Lund', 'cecilia.lund@example.org']]) {
      expect((await t.request(`/events/${activityId}`, formPost({ name: name!, email: email! }))).status).toBe(200)
    }
    await t.smtp.waitFor(3)
  })
  afterAll(() => t.close())

  const registrations = async () => (await (await t.request(`/api/v1/activities/${activityId}/registrations`, { headers })).json()).data as { id: string; contact_id: string; status: string; email: string }[]
  const cancel = (id: string, cookie: string, init: RequestInit = formPost({}, cookie)) => t.request(`/activities/${activityId}/registration/${id}/cancel`, init)

  it('the registrations list offers an editor a cancel button per live registration, a viewer none', async () => {
    const html = await (await t.request(`/activities/${activityId}/registration`, { headers: { cookie: editor.cookie } })).text()
    const [anna] = await registrations()
    expect(html).toContain(`action="/activities/${activityId}/registration/${anna!.id}/cancel"`)
    expect(html).toContain('Avanmäl<span class="visually-hidden">: Anna Berg</span>')
    const viewer = (await t.browser('viewer')).cookie
    expect(await (await t.request(`/activities/${activityId}/registration`, { headers: { cookie: viewer } })).text()).not.toContain('/cancel"')
  })

  it('refuses a viewer, a cross-site post and an unknown registration', async () => {
    const [anna] = await registrations()
    const viewer = (await t.browser('viewer')).cookie
    expect((await cancel(anna!.id, viewer)).status).toBe(403)
    const crossSite = formPost({}, editor.cookie)
    ;(crossSite.headers as Record<string, string>).origin = 'https://evil.example'
    ;(crossSite.headers as Record<string, string>)['sec-fetch-site'] = 'cross-site'
    expect((await cancel(anna!.id, editor.cookie, crossSite)).status).toBe(403)
    expect((await cancel('00000000-0000-4000-8000-000000000000', editor.cookie)).status).toBe(404)
    expect((await cancel('------------------------------------', editor.cookie)).status).toBe(404)
    expect((await registrations()).map((r) => r.status)).toEqual(['registered', 'waitlisted', 'waitlisted'])
  })

  it('cancelling a place promotes the first on the waitlist and mails them, as a self-cancel does; audited under the editor', async () => {
    const [anna, bo, cecilia] = await registrations()
    const res = await cancel(anna!.id, editor.cookie)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`/activities/${activityId}/registration#registrations-h`)
    const page = await (await t.request(`/activities/${activityId}/registration`, { headers: { cookie: `${editor.cookie}; ${res.headers.get('set-cookie')!.split(';')[0]}` } })).text()
    expect(page).toContain('Anmälan är avbokad.')

    expect((await registrations()).map((r) => r.status)).toEqual(['cancelled', 'registered', 'waitlisted'])
    const promoted = await until(async () => t.smtp.received.find((m) => m.envelope.to[0] === bo!.email && m.mail.subject?.startsWith('Du har fått en plats')))
    expect(promoted.mail.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true)
    const participants = (await (await t.request(`/api/v1/activities/${activityId}`, { headers })).json()).participants as { contact_id: string; attendance: string }[]
    expect(participants.map((p) => p.contact_id)).toEqual([bo!.contact_id])

    const admin = (await t.apiToken('admin')).headers
    const log = (await (await t.request(`/api/v1/audit?entity_type=activity&entity_id=${activityId}`, { headers: admin })).json()).data as { user_id: string; changes: Record<string, [unknown, unknown]> }[]
    const entry = log.find((e) => e.changes.registration)
    expect(entry).toMatchObject({ user_id: editor.user.id })
    expect(entry!.changes.registration).toEqual([{ id: anna!.id, contact_id: anna!.contact_id, status: 'registered' }, { id: anna!.id, contact_id: anna!.contact_id, status: 'cancelled' }])

    // Again (a second click, a stale page): already done, nobody else promoted.
    const again = await cancel(anna!.id, editor.cookie)
    expect(again.status).toBe(303)
    expect(again.headers.get('set-cookie')).toContain('flash=events.staff_cancel_already')
    // Cancelling someone on the waitlist frees no place: nobody is promoted or mailed.
    const before = t.smtp.received.length
    expect((await cancel(cecilia!.id, editor.cookie)).status).toBe(303)
    expect((await registrations()).map((r) => r.status)).toEqual(['cancelled', 'registered', 'cancelled'])
    await new Promise((r) => setTimeout(r, 300))
    expect(t.smtp.received).toHaveLength(before)
  })
})
