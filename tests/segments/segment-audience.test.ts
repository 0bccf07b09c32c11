import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest } from '../helpers/app.ts'
import { outreachApp, subscribers, until } from '../newsletter/helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

/** Segments as audiences: a one-off issue, a newsletter list's recipients, a plan's target group. */
describe('a segment as the audience of an issue, a list and a plan', () => {
  let t: App
  let headers: Record<string, string>
  let segmentId: string
  let planId: string
  const call = async (method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) => {
    const res = await t.request(path, jsonRequest(method, body, headers))
    const text = await res.text()
    expect(res.status, text).toBe(status)
    return text ? JSON.parse(text) : null
  }
  const sendAndWait = async (issue: { id: string }, expected: number) => {
    const before = t.smtp.received.length
    await call('POST', `/api/v1/newsletter/issues/${issue.id}/send`, {}, 202)
    await until(async () => (await call('GET', `/api/v1/newsletter/issues/${issue.id}`)).status === 'sent', 60_000)
    await t.smtp.waitFor(before + expected, 60_000)
    await new Promise((r) => setTimeout(r, 300))
    return t.smtp.received.slice(before).map((m) => m.mail.to && 'text' in m.mail.to ? m.mail.to.text : '').sort()
  }

  beforeAll(async () => {
    t = await outreachApp()
    headers = (await t.apiToken('editor')).headers
    const board = await call('POST', '/api/v1/organisations', { name: 'Länsstyrelsen Dalarna', kind: 'county_board', county: 'Dalarnas län' })
    const person = (first: string, extra: object = {}) => call('POST', '/api/v1/contacts', {
      first_name: first, last_name: 'Dalman', email: `${first.toLowerCase()}@lst.example.se`, categories: ['official'],
      affiliations: [{ organisation_id: board.id, role: 'Handläggare' }], ...extra,
    })
    await person('Alva')
    await person('Berit')
    const held = await person('Cecilia')
    await person('Doris', { protected_identity: true })
    await person('Elin', { email: null })
    // "No bulk e-mail" keeps a member from every mailing.
    await t.db.insertInto('mail_standing').values({ contact_id: held.id, no_bulk_at: new Date() }).execute()
    segmentId = (await call('POST', '/api/v1/segments', { name: 'Länsstyrelsen Dalarnas tjänstepersoner', filter: { organisation_ids: [board.id] } })).id
    planId = (await call('POST', '/api/v1/plans', { name: 'Nå Dalarna', status: 'active', target: { segment_id: segmentId } })).id
  }, 120_000)
  afterAll(() => t.close())

  it("a plan's target group is the segment's members, resolved when progress is computed", async () => {
    const progress = await call('GET', `/api/v1/plans/${planId}/progress`)
    // Alva, Berit, Cecilia and Elin (no address is still a person to reach); never Doris.
    expect(progress.target_count).toBe(4)
    expect(progress.not_reached.map((r: { label: string }) => r.label).join(' ')).not.toContain('Doris')
    const unknown = await t.request('/api/v1/plans', jsonRequest('POST', { name: 'X', target: { segment_id: crypto.randomUUID() } }, headers))
    expect(unknown.status).toBe(400)
    expect(Object.keys((await unknown.json()).error.fields)).toEqual(['target.segment_id'])
    // In use by a plan: the segment cannot be deleted.
    expect((await t.request(`/api/v1/segments/${segmentId}`, jsonRequest('DELETE', undefined, headers))).status).toBe(409)
  })

  it('a one-off issue to a segment reaches its mailable members only, and the plan progress moves', async () => {
    const issue = await call('POST', '/api/v1/newsletter/issues', { segment_id: segmentId, subject: 'Inbjudan till länsträff', body: 'Välkommen!' })
    expect(issue).toMatchObject({ list_ids: [], segment_id: segmentId })
    expect(await sendAndWait(issue, 2)).toEqual(['alva@lst.example.se', 'berit@lst.example.se'])
    const progress = await call('GET', `/api/v1/plans/${planId}/progress`)
    expect(progress.reached_count).toBe(2)
    const none = await t.request('/api/v1/newsletter/issues', jsonRequest('POST', { subject: 'Till ingen', body: 'x' }, headers))
    expect(none.status).toBe(400)
    expect(Object.keys((await none.json()).error.fields)).toEqual(['list_ids'])
  }, 120_000)

  it("a list that takes recipients from a segment sends to its subscribers and the segment's members, each once", async () => {
    const list = await call('POST', '/api/v1/newsletter/lists', { name: 'Inbjudningar', segment_id: segmentId })
    expect(list.segment_id).toBe(segmentId)
    await subscribers(t.db, list.id, 2, 'prenumerant')
    // Alva is also a subscriber: she gets one copy.
    const alva = await t.db.selectFrom('contacts').select('id').where('email', '=', 'alva@lst.example.se').executeTakeFirstOrThrow()
    await t.db.insertInto('newsletter_subscriptions').values({ list_id: list.id, contact_id: alva.id, status: 'subscribed', confirmed_at: new Date() }).execute()
    const issue = await call('POST', '/api/v1/newsletter/issues', { list_ids: [list.id], subject: 'Inbjudan', body: 'Välkommen!' })
    expect(await sendAndWait(issue, 4)).toEqual(['alva@lst.example.se', 'berit@lst.example.se', 'prenumerant1@example.org', 'prenumerant2@example.org'])
    // The list's segment can be changed and removed, version-checked.
    const patched = await call('PATCH', `/api/v1/newsletter/lists/${list.id}`, { version: list.version, segment_id: null })
    expect(patched).toMatchObject({ segment_id: null, name: 'Inbjudningar', public: true, version: list.version + 1 })
    expect((await t.request(`/api/v1/newsletter/lists/${list.id}`, jsonRequest('PATCH', { version: list.version, name: 'Gammal' }, headers))).status).toBe(409)
  }, 120_000)
})
