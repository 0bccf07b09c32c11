import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
})
afterAll(() => t.close())

const api = async (method: string, path: string, body?: unknown) => {
  const res = await t.request(path, jsonRequest(method, body, editor.headers))
  return { status: res.status, body: res.status === 204 ? null : await res.json() }
}
const created = async (path: string, body: Record<string, unknown>) => {
  const res = await api('POST', path, body)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}
async function interactionWith(link: { contact_id?: string; organisation_id?: string }): Promise<string> {
  const i = await t.db.insertInto('interactions').values({ kind: 'meeting', occurred_on: '2026-10-01', summary: 'Möte om mottagning' }).returning('id').executeTakeFirstOrThrow()
  await t.db.insertInto('interaction_links').values({ interaction_id: i.id, contact_id: link.contact_id ?? null, organisation_id: link.organisation_id ?? null }).execute()
  return i.id
}
const auditOf = (id: string) => t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).orderBy('at').orderBy('id').execute()

describe('merging organisations', () => {
  it('moves people, interactions and units below to the survivor and soft-deletes the other with a pointer', async () => {
    const keep = await created('/api/v1/organisations', { name: 'Migrationsverket', kind: 'authority', tags: ['asyl'] })
    const other = await created('/api/v1/organisations', { name: 'Migrationsverket (dubblett)', kind: 'authority', org_number: '202100-2163', website: 'www.migrationsverket.se', tags: ['mottagning'] })
    const unit = await created('/api/v1/organisations', { name: 'Mottagningsenheten Boden', kind: 'authority', parent_id: other.id })
    const person = await created('/api/v1/contacts', { first_name: 'Märta', last_name: 'Fältskär', affiliations: [{ organisation_id: other.id, role: 'Handläggare' }] })
    const meeting = await interactionWith({ organisation_id: other.id })

    const res = await api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: other.id, version: keep.version, other_version: other.version, fields: { name: 'this' } })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({
      id: keep.id, name: 'Migrationsverket', org_number: '202100-2163', website: 'https://www.migrationsverket.se/', version: 2,
    })
    expect(res.body.tags.sort()).toEqual(['asyl', 'mottagning'])

    expect((await api('GET', `/api/v1/organisations/${other.id}`)).status).toBe(404)
    const gone = await t.db.selectFrom('organisations').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow()
    expect(gone.deleted_at).not.toBeNull()
    expect(gone.merged_into_id).toBe(keep.id)
    expect((await api('GET', `/api/v1/contacts/${person.id}`)).body.affiliations).toMatchObject([{ organisation_id: keep.id, role: 'Handläggare' }])
    expect(await t.db.selectFrom('interaction_links').select('organisation_id').where('interaction_id', '=', meeting).execute()).toEqual([{ organisation_id: keep.id }])
    expect((await api('GET', `/api/v1/organisations/${unit.id}`)).body).toMatchObject({ parent_id: keep.id, version: 2 })

    const merge = (await auditOf(keep.id)).find((a) => a.action === 'merge')!
    expect(merge.changes.merged_from).toEqual([null, other.id])
    expect(merge.changes.org_number).toEqual([null, '202100-2163'])
    expect(merge.changes.moved_links?.[1]).toMatchObject({ 'affiliations.organisation_id': 1, 'interaction_links.organisation_id': 1, 'organisations.parent_id': 1 })
    expect((await auditOf(other.id)).map((a) => a.action)).toEqual(['create', 'delete'])
    expect((await auditOf(unit.id)).map((a) => a.action)).toEqual(['create', 'update'])
  })

  it('refuses a stale version of either record with 409 and changes nothing', async () => {
    const keep = await created('/api/v1/organisations', { name: 'Skatteverket', kind: 'authority' })
    const other = await created('/api/v1/organisations', { name: 'Skatteverket Gävle', kind: 'authority' })
    await created('/api/v1/contacts', { first_name: 'Ebba', last_name: 'Holm', affiliations: [{ organisation_id: other.id }] })
    await api('PATCH', `/api/v1/organisations/${other.id}`, { version: 1, notes: 'ändrad under tiden' })
    const res = await api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: other.id, version: 1, other_version: 1 })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('conflict')
    expect((await api('GET', `/api/v1/organisations/${other.id}`)).status).toBe(200)
    expect(await t.db.selectFrom('affiliations').select('id').where('organisation_id', '=', other.id).execute()).toHaveLength(1)
    expect((await auditOf(keep.id)).map((a) => a.action)).toEqual(['create'])
  })

  it('takes the other record’s value for a field when asked, and refuses merging a record with itself or into its own unit', async () => {
    const keep = await created('/api/v1/organisations', { name: 'Länsstyrelsen Skåne', kind: 'county_board', county: 'Skåne län' })
    const other = await created('/api/v1/organisations', { name: 'Länsstyrelsen i Skåne län', kind: 'county_board' })
    const self = await api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: keep.id, version: 1, other_version: 1 })
    expect(self.status).toBe(400)
    const unknown = await api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: other.id, version: 1, other_version: 1, fields: { colour: 'other' } })
    expect(unknown.status).toBe(400)
    const below = await created('/api/v1/organisations', { name: 'Enheten för integration', kind: 'county_board', parent_id: other.id })
    const cycle = await api('PATCH', `/api/v1/organisations/${keep.id}`, { version: 1, parent_id: below.id })
    expect(cycle.status).toBe(200)
    const refused = await api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: other.id, version: 2, other_version: 1 })
    expect(refused.status).toBe(400)
    expect(refused.body.error.fields.parent_id).toBeTruthy()
    const ok = await api('PATCH', `/api/v1/organisations/${keep.id}`, { version: 2, parent_id: null })
    const res = await api('POST', `/api/v1/organisations/${keep.id}/merge`, { other_id: other.id, version: ok.body.version, other_version: 1, fields: { name: 'other' } })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ name: 'Länsstyrelsen i Skåne län', county: 'Skåne län' })
  })
})

describe('merging contacts', () => {
  it('moves affiliations and interaction links, keeps one of each and one primary, and frees the e-mail for the survivor', async () => {
    const org = await created('/api/v1/organisations', { name: 'Röda Korset Malmö', kind: 'ngo' })
    const school = await created('/api/v1/organisations', { name: 'Komvux Malmö', kind: 'municipality' })
    const keep = await created('/api/v1/contacts', { first_name: 'Åsa', last_name: 'Lindqvist', affiliations: [{ organisation_id: org.id, role: 'Volontär', primary: true }] })
    const other = await created('/api/v1/contacts', {
      first_name: 'Asa', last_name: 'Lindqvist', email: 'asa.lindqvist@example.se', title: 'Samordnare',
      affiliations: [{ organisation_id: org.id, role: 'Volontär', primary: true }, { organisation_id: school.id, role: 'Lärare' }],
    })
    const call = await interactionWith({ contact_id: other.id })
    const shared = await interactionWith({ contact_id: keep.id })
    await t.db.insertInto('interaction_links').values({ interaction_id: shared, contact_id: other.id, organisation_id: null }).execute()

    const res = await api('POST', `/api/v1/contacts/${keep.id}/merge`, { other_id: other.id, version: keep.version, other_version: other.version, fields: { first_name: 'this', email: 'other' } })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ first_name: 'Åsa', email: 'asa.lindqvist@example.se', title: 'Samordnare' })
    const affiliations = res.body.affiliations as { organisation_id: string; primary: boolean }[]
    expect(affiliations.map((a) => a.organisation_id).sort()).toEqual([org.id, school.id].sort())
    expect(affiliations.filter((a) => a.primary)).toHaveLength(1)
    expect(await t.db.selectFrom('interaction_links').select('contact_id').where('interaction_id', 'in', [call, shared]).execute()).toEqual([
      { contact_id: keep.id }, { contact_id: keep.id },
    ])
    const gone = await t.db.selectFrom('contacts').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow()
    expect(gone).toMatchObject({ merged_into_id: keep.id })
    expect(gone.deleted_at).not.toBeNull()
    const merge = (await auditOf(keep.id)).find((a) => a.action === 'merge')!
    expect(merge.changes).toMatchObject({ merged_from: [null, other.id], email: [null, 'asa.lindqvist@example.se'] })
    expect(merge.changes.affiliations).toBeTruthy()
  })
})

describe('a record merged into another', () => {
  it('cannot be restored: it stays deleted, pointing at the survivor', async () => {
    const admin = await t.apiToken('admin')
    const restore = (path: string) => t.request(`${path}/restore`, jsonRequest('POST', undefined, admin.headers))
    const keep = await created('/api/v1/contacts', { first_name: 'Idun', last_name: 'Strand' })
    const other = await created('/api/v1/contacts', { first_name: 'Idun', last_name: 'Strand', title: 'Dubblett' })
    expect((await api('POST', `/api/v1/contacts/${keep.id}/merge`, { other_id: other.id, version: keep.version, other_version: other.version })).status).toBe(200)
    expect((await restore(`/api/v1/contacts/${other.id}`)).status).toBe(404)
    const gone = await t.db.selectFrom('contacts').select(['deleted_at', 'merged_into_id']).where('id', '=', other.id).executeTakeFirstOrThrow()
    expect(gone.deleted_at).not.toBeNull()
    expect(gone.merged_into_id).toBe(keep.id)
    const org = await created('/api/v1/organisations', { name: 'Sveriges Kommuner och Regioner', kind: 'ngo' })
    const dup = await created('/api/v1/organisations', { name: 'SKR', kind: 'ngo' })
    expect((await api('POST', `/api/v1/organisations/${org.id}/merge`, { other_id: dup.id, version: org.version, other_version: dup.version })).status).toBe(200)
    expect((await restore(`/api/v1/organisations/${dup.id}`)).status).toBe(404)
    // A plainly deleted record is restored as before.
    const plain = await created('/api/v1/contacts', { first_name: 'Signe', last_name: 'Bro' })
    expect((await api('DELETE', `/api/v1/contacts/${plain.id}`)).status).toBe(204)
    expect((await restore(`/api/v1/contacts/${plain.id}`)).status).toBe(200)
  })
})

describe('old links to a merged record', () => {
  it('lead to the survivor, also through a chain of merges; a plainly deleted record is 404', async () => {
    const cookie = (await t.browser('viewer')).cookie
    const a = await created('/api/v1/organisations', { name: 'Länsstyrelsen Skåne', kind: 'county_board' })
    const b = await created('/api/v1/organisations', { name: 'Länsstyrelsen i Skåne', kind: 'county_board' })
    const c = await created('/api/v1/organisations', { name: 'Länsstyrelsen i Skåne län', kind: 'county_board' })
    expect((await api('POST', `/api/v1/organisations/${b.id}/merge`, { other_id: a.id, version: b.version, other_version: a.version })).status).toBe(200)
    const bNow = (await api('GET', `/api/v1/organisations/${b.id}`)).body
    expect((await api('POST', `/api/v1/organisations/${c.id}/merge`, { other_id: b.id, version: c.version, other_version: bNow.version })).status).toBe(200)
    const res = await t.request(`/organisations/${a.id}`, { headers: { cookie } })
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe(`/organisations/${c.id}`)
    const gone = await created('/api/v1/organisations', { name: 'Nedlagd förening', kind: 'ngo' })
    await api('DELETE', `/api/v1/organisations/${gone.id}`)
    expect((await t.request(`/organisations/${gone.id}`, { headers: { cookie } })).status).toBe(404)
  })
})
