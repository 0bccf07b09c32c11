import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, auditOf, type Api } from './helpers.ts'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['apiToken']>>
let h: Api
let people: { id: string }[]
beforeAll(async () => {
  t = await testApp()
  admin = await t.apiToken('admin')
  h = apiOf(t, await t.apiToken('editor'))
  people = []
  for (let i = 1; i <= 40; i++) people.push(await h.contact('Deltagare', `Nummer ${i}`))
})
afterAll(() => t.close())

type Participant = { id: string; contact_id: string | null; organisation_id: string | null; role: string; attendance: string }

describe('POST /api/v1/activities/:id/participants', () => {
  it('adds forty people in one request, as one audited change', async () => {
    const a = await h.activity({ title: 'Seminarium i Växjö', type: 'seminar' })
    const res = await h.api('POST', `/api/v1/activities/${a.id}/participants`, {
      version: 1,
      add: people.map((p) => ({ contact_id: p.id, attendance: 'registered' })),
    })
    expect(res.status).toBe(200)
    const b = await res.json()
    expect(b.version).toBe(2)
    expect(b.summary).toEqual({ added: 40, removed: 0, changed: 0, already: 0 })
    expect(b.participants).toHaveLength(40)
    expect(new Set(b.participants.map((p: Participant) => p.attendance))).toEqual(new Set(['registered']))
    const audit = await auditOf(h, a.id, admin)
    expect(audit.map((r) => r.action)).toEqual(['create', 'update'])
    const after = audit[1]!.changes.participants![1] as { added: number; added_ids: string[] }
    expect(after.added).toBe(40)
    expect(after.added_ids.sort()).toEqual(b.participants.map((p: Participant) => p.id).sort())
  })

  it('marks attendance for all, then for some, each as one audit row', async () => {
    const a = await h.activity({ title: 'Konferens i Luleå', participants: people.slice(0, 5).map((p) => ({ contact_id: p.id })) })
    let res = await h.api('POST', `/api/v1/activities/${a.id}/participants`, { version: 1, set_attendance: { all: true, attendance: 'attended' } })
    let b = await res.json()
    expect(b.summary).toMatchObject({ changed: 5 })
    expect(b.participants.every((p: Participant) => p.attendance === 'attended')).toBe(true)
    const two = b.participants.slice(0, 2).map((p: Participant) => p.id)
    res = await h.api('POST', `/api/v1/activities/${a.id}/participants`, { version: 2, set_attendance: { ids: two, attendance: 'no_show' } })
    b = await res.json()
    expect(b.participants.filter((p: Participant) => p.attendance === 'no_show').map((p: Participant) => p.id).sort()).toEqual([...two].sort())
    const audit = await auditOf(h, a.id, admin)
    expect(audit.map((r) => r.action)).toEqual(['create', 'update', 'update'])
    expect(audit[2]!.changes.participants![1]).toMatchObject({ changed: 2, changed_ids: expect.arrayContaining(two) })
  })

  it('removes participants, skips people already taking part, and refuses ids that are not its participants', async () => {
    const a = await h.activity({ title: 'Kurs i Gävle', participants: people.slice(0, 3).map((p) => ({ contact_id: p.id })) })
    const [first] = a.participants as Participant[]
    const res = await h.api('POST', `/api/v1/activities/${a.id}/participants`, {
      version: 1, remove: [first!.id], add: [{ contact_id: people[1]!.id }, { contact_id: people[3]!.id, role: 'speaker' }],
    })
    const b = await res.json()
    expect(b.summary).toEqual({ added: 1, removed: 1, changed: 0, already: 1 })
    expect(b.participants.map((p: Participant) => p.contact_id).sort()).toEqual([people[1]!.id, people[2]!.id, people[3]!.id].sort())
    const bad = await h.api('POST', `/api/v1/activities/${a.id}/participants`, { version: 2, remove: [first!.id] })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.fields.remove).toBeDefined()
  })

  it('answers a stale version with 409 and adds nobody', async () => {
    const a = await h.activity({ title: 'Workshop i Borås' })
    await h.api('PATCH', `/api/v1/activities/${a.id}`, { version: 1, location: 'Borås' })
    const res = await h.api('POST', `/api/v1/activities/${a.id}/participants`, { version: 1, add: [{ contact_id: people[0]!.id }] })
    expect(res.status).toBe(409)
    expect((await h.get(`/api/v1/activities/${a.id}`)).participants).toEqual([])
  })

  it('writes nothing when nothing changes', async () => {
    const a = await h.activity({ title: 'Möte', participants: [{ contact_id: people[0]!.id }] })
    const b = await (await h.api('POST', `/api/v1/activities/${a.id}/participants`, { version: 1, add: [{ contact_id: people[0]!.id }] })).json()
    expect(b).toMatchObject({ version: 1, summary: { added: 0, already: 1 } })
    expect((await auditOf(h, a.id, admin)).map((r) => r.action)).toEqual(['create'])
  })
})
