import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['apiToken']>>
beforeAll(async () => {
  t = await testApp()
  admin = await t.apiToken('admin')
})
afterAll(() => t.close())

const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, admin.headers))

async function auditOf(id: string) {
  const res = await api('GET', `/api/v1/audit?entity_type=user&entity_id=${id}`)
  return (await res.json()).data as { action: string; user_id: string | null; changes: Record<string, [unknown, unknown]> }[]
}

describe('the audited write path', () => {
  it('creates with version 1 and a create audit row naming who did it', async () => {
    const res = await api('POST', '/api/v1/users', { email: 'Karin.Lind@Example.se', name: 'Karin Lind', role: 'editor', password: 'long enough password' })
    expect(res.status).toBe(201)
    const user = await res.json()
    expect(res.headers.get('location')).toBe(`/api/v1/users/${user.id}`)
    expect(user).toMatchObject({ email: 'karin.lind@example.se', name: 'Karin Lind', role: 'editor', active: true, version: 1 })
    expect(user).not.toHaveProperty('password')
    expect(user).not.toHaveProperty('password_hash')
    const audit = await auditOf(user.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'create', user_id: admin.user.id })
    expect(audit[0]!.changes.name).toEqual([null, 'Karin Lind'])
    expect(audit[0]!.changes.password_hash).toEqual(['[redacted]', '[redacted]'])
  })

  it('updates with the current version, bumps it, and records before and after', async () => {
    const created = await (await api('POST', '/api/v1/users', { email: 'olle@example.se', name: 'Olle Berg', password: 'long enough password' })).json()
    const res = await api('PATCH', `/api/v1/users/${created.id}`, { version: 1, name: 'Olle Bergström', role: 'editor' })
    expect(res.status).toBe(200)
    const updated = await res.json()
    expect(updated).toMatchObject({ name: 'Olle Bergström', role: 'editor', version: 2 })
    expect(new Date(updated.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(created.updated_at).getTime())
    const update = (await auditOf(created.id)).find((a) => a.action === 'update')!
    expect(update.changes).toEqual({ name: ['Olle Berg', 'Olle Bergström'], role: ['viewer', 'editor'] })
  })

  it('refuses a stale version with 409 and changes nothing', async () => {
    const created = await (await api('POST', '/api/v1/users', { email: 'stina@example.se', name: 'Stina Ek', password: 'long enough password' })).json()
    expect((await api('PATCH', `/api/v1/users/${created.id}`, { version: 1, name: 'Stina Ekholm' })).status).toBe(200)
    const stale = await api('PATCH', `/api/v1/users/${created.id}`, { version: 1, name: 'Stina Ekdahl', role: 'admin' })
    expect(stale.status).toBe(409)
    expect(await stale.json()).toMatchObject({ error: { code: 'conflict' } })
    const now = await (await api('GET', `/api/v1/users/${created.id}`)).json()
    expect(now).toMatchObject({ name: 'Stina Ekholm', role: 'viewer', version: 2 })
    expect((await auditOf(created.id)).filter((a) => a.action === 'update')).toHaveLength(1)
  })

  it('requires the version on every change', async () => {
    const created = await (await api('POST', '/api/v1/users', { email: 'nils@example.se', password: 'long enough password' })).json()
    const res = await api('PATCH', `/api/v1/users/${created.id}`, { name: 'Nils' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'validation', fields: { version: expect.any(String) } } })
  })

  it('deletes softly: gone from lists and GET, kept in the database, restorable by an admin', async () => {
    const created = await (await api('POST', '/api/v1/users', { email: 'gone@example.se', name: 'Gunnel Gone', password: 'long enough password' })).json()
    expect((await api('DELETE', `/api/v1/users/${created.id}`)).status).toBe(204)
    expect((await api('GET', `/api/v1/users/${created.id}`)).status).toBe(404)
    const list = await (await api('GET', '/api/v1/users?q=gone')).json()
    expect(list.data).toEqual([])
    const row = await t.db.selectFrom('users').select(['deleted_at', 'name']).where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(row.deleted_at).not.toBeNull()
    expect(row.name).toBe('Gunnel Gone')
    const restored = await api('POST', `/api/v1/users/${created.id}/restore`)
    expect(restored.status).toBe(200)
    expect((await api('GET', `/api/v1/users/${created.id}`)).status).toBe(200)
    expect((await auditOf(created.id)).map((a) => a.action)).toEqual(['restore', 'delete', 'create'])
  })

  it('answers 404 for a record that does not exist, or an id that is not one', async () => {
    expect((await api('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000')).status).toBe(404)
    expect((await api('GET', '/api/v1/users/not-an-id')).status).toBe(404)
    expect((await api('PATCH', '/api/v1/users/00000000-0000-4000-8000-000000000000', { version: 1 })).status).toBe(404)
  })

  it('treats unknown fields as a validation error and names them', async () => {
    const res = await api('POST', '/api/v1/users', { email: 'x@example.se', password: 'long enough password', shoe_size: 44 })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'validation', fields: { shoe_size: expect.any(String) } } })
  })

  it('refuses a second live user with the same e-mail, in any case', async () => {
    await api('POST', '/api/v1/users', { email: 'dup@example.se', password: 'long enough password' })
    const res = await api('POST', '/api/v1/users', { email: 'DUP@example.se', password: 'long enough password' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { fields: { email: expect.any(String) } } })
  })

  it('keeps the last active administrator', async () => {
    const other = await t.user('admin')
    const admins = (await (await api('GET', '/api/v1/users?role=admin&active=true')).json()).data as { id: string; version: number }[]
    // Demote every admin but the caller; then the caller cannot demote themself.
    for (const a of admins.filter((a) => a.id !== admin.user.id)) {
      expect((await api('PATCH', `/api/v1/users/${a.id}`, { version: a.version, role: 'viewer' })).status).toBe(200)
    }
    const me = await (await api('GET', `/api/v1/users/${admin.user.id}`)).json()
    const res = await api('PATCH', `/api/v1/users/${admin.user.id}`, { version: me.version, role: 'viewer' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { fields: { role: expect.any(String) } } })
    expect(other.id).toBeTruthy()
  })
})
