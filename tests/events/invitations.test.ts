import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Outreach } from '../../src/newsletter/outreach.ts'
import { formPost, jsonRequest } from '../helpers/app.ts'
import { outreachApp, until } from '../newsletter/helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

describe('invitations to an event', () => {
  let t: App
  let next: Outreach | undefined
  let headers: Record<string, string>
  let activityId: string
  beforeAll(async () => {
    // A slow mail server, so that the invitations are still going out when the instance stops.
    t = await outreachApp({ delayMs: 15 })
    headers = (await t.apiToken('editor')).headers
    activityId = (await (await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Konferens om mottagande', type: 'conference', start_date: '2099-05-20', participants: [] }, headers))).json()).id
    expect((await t.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', { open: true }, headers))).status).toBe(200)
  }, 120_000)
  afterAll(async () => {
    await next?.stop()
    await t.close()
  })

  it('invites pasted addresses and a saved segment, each person once: unknown addresses are listed back, opted-out people are not mailed', async () => {
    await sql`insert into contacts (first_name, last_name, email, sort_name, categories)
      values ('Karin', 'Ek', 'karin.ek@example.org', 'ek karin', array['official']), ('Nils', 'Ås', 'nils.as@example.org', 'ås nils', array['official'])`.execute(t.db)
    const nils = await t.db.selectFrom('contacts').select('id').where('email', '=', 'nils.as@example.org').executeTakeFirstOrThrow()
    await t.db.insertInto('mail_standing').values({ contact_id: nils.id, no_bulk_at: new Date() }).execute()
    const res = await t.request(`/api/v1/activities/${activityId}/invitations`, jsonRequest('POST', { source: 'emails', emails: ['Karin Ek <KARIN.EK@example.org>', 'nils.as@example.org', 'okand@example.org'] }, headers))
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ queued: 1, already: 0, not_mailable: 1, unknown: ['okand@example.org'], unreadable: [] })
    const [mail] = await t.smtp.waitFor(1)
    expect(mail!.envelope.to).toEqual(['karin.ek@example.org'])
    expect(mail!.mail.subject).toBe('Inbjudan: Konferens om mottagande')
    expect(mail!.mail.text).toContain(`http://localhost/events/${activityId}`)
    const again = await (await t.request(`/api/v1/activities/${activityId}/invitations`, jsonRequest('POST', { source: 'emails', emails: ['karin.ek@example.org'] }, headers))).json()
    expect(again).toMatchObject({ queued: 0, already: 1 })
    const activity = await (await t.request(`/api/v1/activities/${activityId}`, { headers })).json()
    expect(activity.participants).toHaveLength(1)
    expect(activity.participants[0].attendance).toBe('invited')
    const karinId = activity.participants[0].contact_id
    // A saved segment: its members now, once each, the mailable ones only.
    const unknown = await t.request(`/api/v1/activities/${activityId}/invitations`, jsonRequest('POST', { source: 'segment', segment_id: crypto.randomUUID() }, headers))
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('segment_id')
    const lars = await (await t.request('/api/v1/contacts', jsonRequest('POST', { first_name: 'Lars', last_name: 'Öberg', email: 'lars.oberg@example.org' }, headers))).json()
    const karin = await t.db.selectFrom('contacts').select('id').where('email', '=', 'karin.ek@example.org').executeTakeFirstOrThrow()
    const segment = await (await t.request('/api/v1/segments', jsonRequest('POST', { name: 'Länsstyrelser', include_ids: [karin.id, nils.id, lars.id] }, headers))).json()
    const bySegment = await t.request(`/api/v1/activities/${activityId}/invitations`, jsonRequest('POST', { source: 'segment', segment_id: segment.id }, headers))
    expect(bySegment.status).toBe(202)
    expect(await bySegment.json()).toMatchObject({ queued: 1, already: 1, not_mailable: 1 })
    const [, toLars] = await t.smtp.waitFor(2)
    expect(toLars!.envelope.to).toEqual(['lars.oberg@example.org'])
    // An invited person who registers becomes `registered`.
    await t.request(`/events/${activityId}`, formPost({ name: 'Karin Ek', email: 'karin.ek@example.org' }))
    await t.smtp.waitFor(3)
    const after = await (await t.request(`/api/v1/activities/${activityId}`, { headers })).json()
    expect(after.participants.find((p: { contact_id: string }) => p.contact_id === karinId).attendance).toBe('registered')
  }, 60_000)

  it('a restart in the middle of inviting sends nobody twice and nobody never', async () => {
    const start = t.smtp.received.length
    await sql`insert into contacts (first_name, last_name, email, sort_name, categories)
      select 'Person', 'i' || g, 'inv' || g || '@example.org', 'person i' || g, array['official'] from generate_series(1, 120) g`.execute(t.db)
    const emails = Array.from({ length: 120 }, (_, i) => `inv${i + 1}@example.org`)
    const res = await (await t.request(`/api/v1/activities/${activityId}/invitations`, jsonRequest('POST', { source: 'emails', emails }, headers))).json()
    expect(res.queued).toBe(120)

    await t.smtp.waitFor(start + 20, 60_000)
    await t.outreach!.stop()
    const atStop = t.smtp.received.length - start
    expect(atStop).toBeLessThan(120)

    // The app comes back (a new instance on the same database) and finishes the invitations.
    next = await t.instance()
    await t.smtp.waitFor(start + 120, 120_000)
    await until(async () => {
      const r = await (await t.request(`/api/v1/activities/${activityId}/registration`, { headers })).json()
      return r.invitations.sent === 122 && r
    }, 60_000)
    await new Promise((r) => setTimeout(r, 500))
    const invited = t.smtp.received.slice(start).map((m) => m.envelope.to[0])
    expect(invited).toHaveLength(120)
    expect(new Set(invited).size).toBe(120)
  }, 240_000)
})
