import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, type Api } from './helpers.ts'

let t: TestApp
let h: Api
let viewer: { cookie: string }
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  viewer = await t.browser('viewer')
})
afterAll(() => t.close())

const page = async (path: string) => (await t.request(path, { headers: { cookie: viewer.cookie } })).text()
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('activities elsewhere in the register', () => {
  it('shows on a contact’s and an organisation’s timeline the activities they took part in', async () => {
    const person = await h.contact('Maja', 'Mört')
    const org = await h.organisation('Malmö stad', { kind: 'municipality' })
    const a = await h.activity({
      title: 'Seminarium om hälsoskola', start_date: '2026-02-12',
      participants: [{ contact_id: person.id, attendance: 'attended' }, { organisation_id: org.id, attendance: 'received', role: 'recipient' }],
    })
    const policy = await h.activity({ title: 'Skrivelse till kommunstyrelsen', type: 'policy_input', level: 'vertical', influence: { organisation_id: org.id, result: 'unknown' } })
    const contactPage = text(await page(`/contacts/${person.id}`))
    expect(contactPage).toContain('Deltog i: Seminarium om hälsoskola')
    const orgHtml = await page(`/organisations/${org.id}`)
    expect(text(orgHtml)).toContain('Mottog: Seminarium om hälsoskola')
    expect(text(orgHtml)).toContain('Tog emot påverkansinspel: Skrivelse till kommunstyrelsen')
    expect(orgHtml).toContain(`href="/activities/${a.id}"`)
    expect(orgHtml).toContain(`href="/activities/${policy.id}"`)
  })

  it('is found by search', async () => {
    const a = await h.activity({ title: 'Studiebesök hos Migrationsverket i Norrköping', type: 'study_visit', start_date: '2026-09-01' })
    const res = await h.get('/api/v1/search?q=norrkoping&types=activity')
    expect(res.data.map((r: { type: string; id: string }) => [r.type, r.id])).toEqual([['activity', a.id]])
  })

  it('follows a merge: participations and the influence record move to the surviving record', async () => {
    const keep = await h.contact('Nils', 'Nord', { email: 'nils.nord@example.se' })
    const dup = await h.contact('Nils', 'Nord')
    const both = await h.activity({ title: 'Båda var med', participants: [{ contact_id: keep.id, attendance: 'attended' }, { contact_id: dup.id, attendance: 'invited' }] })
    const onlyDup = await h.activity({ title: 'Bara dubbletten', participants: [{ contact_id: dup.id, attendance: 'attended' }] })
    expect((await h.api('POST', `/api/v1/contacts/${keep.id}/merge`, { other_id: dup.id, version: 1, other_version: 1 })).status).toBe(200)
    const [b, o] = [await h.get(`/api/v1/activities/${both.id}`), await h.get(`/api/v1/activities/${onlyDup.id}`)]
    expect(b.participants.map((p: { contact_id: string; attendance: string }) => [p.contact_id, p.attendance])).toEqual([[keep.id, 'attended']])
    expect(o.participants.map((p: { contact_id: string }) => p.contact_id)).toEqual([keep.id])

    const orgKeep = await h.organisation('Region Skåne', { kind: 'region' })
    const orgDup = await h.organisation('Region Skane', { kind: 'region' })
    const inf = await h.activity({ title: 'Inspel till regionen', influence: { organisation_id: orgDup.id }, participants: [{ organisation_id: orgDup.id }] })
    expect((await h.api('POST', `/api/v1/organisations/${orgKeep.id}/merge`, { other_id: orgDup.id, version: 1, other_version: 1 })).status).toBe(200)
    const moved = await h.get(`/api/v1/activities/${inf.id}`)
    expect(moved.influence.organisation_id).toBe(orgKeep.id)
    expect(moved.participants.map((p: { organisation_id: string }) => p.organisation_id)).toEqual([orgKeep.id])
    // The activity's own record changed, so its version moved on and a stale form cannot undo the merge.
    expect(moved.version).toBe(2)
  })
})
