import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf } from './helpers.ts'

let t: TestApp
let h: ReturnType<typeof apiOf>
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
})
afterAll(() => t.close())

describe('alliances when organisations or contacts are merged', () => {
  it('moves memberships and commitments to the surviving organisation, keeping one member row per alliance', async () => {
    const keep = await h.organisation('Migrationsverket')
    const dup = await h.organisation('Migrationsverket (dubblett)')
    const both = await h.alliance({ name: 'Båda är med', members: [{ organisation_id: keep.id, role: 'lead' }, { organisation_id: dup.id, role: 'supporter' }] })
    const onlyDup = await h.alliance({
      name: 'Bara dubbletten', members: [{ organisation_id: dup.id, role: 'partner' }],
      commitments: [{ organisation_id: dup.id, description: 'Ta fram statistik', due_date: '2026-01-01' }],
    })
    const res = await h.api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: dup.id, version: 1, other_version: 1 })
    expect(res.status).toBe(200)
    expect((await h.get(`/api/v1/alliances/${both.id}`)).members.map((m: { organisation_id: string; role: string }) => [m.organisation_id, m.role])).toEqual([[keep.id, 'lead']])
    const moved = await h.get(`/api/v1/alliances/${onlyDup.id}`)
    expect(moved.members.map((m: { organisation_id: string }) => m.organisation_id)).toEqual([keep.id])
    expect(moved.commitments.map((k: { organisation_id: string }) => k.organisation_id)).toEqual([keep.id])
  })

  it('moves the contact person of a membership to the surviving contact', async () => {
    const org = await h.organisation('Röda Korset', 'ngo')
    const [keep, dup] = [await h.contact('Eva', 'Exempel'), await h.contact('Eva', 'Exempel')]
    const a = await h.alliance({ name: 'Kontaktpersonen', members: [{ organisation_id: org.id, role: 'lead', contact_id: dup.id }] })
    expect((await h.api('POST', `/api/v1/contacts/${keep.id}/merge`, { other_id: dup.id, version: 1, other_version: 1 })).status).toBe(200)
    expect((await h.get(`/api/v1/alliances/${a.id}`)).members[0].contact_id).toBe(keep.id)
  })
})
