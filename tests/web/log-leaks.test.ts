import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { safeError } from '../../src/log.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { withCapturedLog } from '../helpers/captured-log.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

const person = { first_name: 'Hemliga', last_name: 'Lindqvist', email: 'hemliga.lindqvist@example.se', phone: '070-174 06 55' }

describe('what reaches the log when input is bad', () => {
  it('refuses NUL in a contact field as a validation error naming it, and logs none of the values', async () => {
    const { app, log } = withCapturedLog(t)
    const admin = await t.apiToken('admin')
    const before = await t.db.selectFrom('contacts').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    const res = await app.request('/api/v1/contacts', jsonRequest('POST', { ...person, notes: 'x\u0000hemlig anteckning' }, admin.headers))
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('validation')
    expect(Object.keys(body.error.fields)).toEqual(['notes'])
    const after = await t.db.selectFrom('contacts').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
    for (const value of ['Hemliga', 'Lindqvist', 'hemliga.lindqvist', '174 06 55', '1740655', 'hemlig anteckning']) expect(log()).not.toContain(value)
  })

  it('refuses a user name with NUL before the password is hashed, so no hash can reach the log', async () => {
    const { app, log } = withCapturedLog(t)
    const admin = await t.apiToken('admin')
    const res = await app.request('/api/v1/users', jsonRequest('POST', { name: 'Ny\u0000Användare', email: 'ny.anvandare@example.se', role: 'viewer', password: 'ett långt lösenord' }, admin.headers))
    expect(res.status).toBe(400)
    expect((await res.json()).error.fields).toHaveProperty('name')
    expect(log()).not.toContain('$argon2')
    expect(log()).not.toContain('ny.anvandare')
  })

  it('refuses lone surrogates and invalid UTF-8 in JSON, forms and query strings', async () => {
    const admin = await t.apiToken('admin')
    const editor = await t.browser('editor')
    const surrogate = await t.request('/api/v1/themes', { method: 'POST', headers: { 'content-type': 'application/json', ...admin.headers }, body: '{"name":"a\\ud800b"}' })
    expect(surrogate.status).toBe(400)
    expect((await surrogate.json()).error.fields).toHaveProperty('name')
    const rawUtf8 = new Uint8Array([...new TextEncoder().encode('{"name":"a'), 0xff, 0xfe, ...new TextEncoder().encode('"}')])
    const bytes = await t.request('/api/v1/themes', { method: 'POST', headers: { 'content-type': 'application/json', ...admin.headers }, body: rawUtf8 })
    expect(bytes.status).toBe(400)
    const form = await t.request('/themes', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', cookie: editor.cookie },
      body: 'name=Tema%FF',
    })
    expect(form.status).toBe(400)
    expect(await form.text()).toContain('otillåtna tecken')
    for (const q of ['q=%00', 'q=%ED%A0%80', 'tag=%00', 'q=%FF']) {
      const res = await t.request(`/api/v1/organisations?${q}`, { headers: admin.headers })
      expect(res.status, q).toBe(400)
      expect((await res.json()).error.code).toBe('validation')
    }
    expect((await t.request('/ideas?q=%00')).status).toBe(400)
  })

  it('refuses invalid UTF-8 in a multipart text field as a validation error naming the field; a file part may hold any bytes', async () => {
    const editor = await t.browser('editor')
    const enc = (s: string) => new TextEncoder().encode(s)
    const multipart = (parts: Uint8Array[]) => {
      const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
      let at = 0
      for (const p of parts) body.set(p, (at += p.length) - p.length)
      return body
    }
    const headers = { 'content-type': 'multipart/form-data; boundary=XyZ', origin: 'http://localhost', cookie: editor.cookie }
    const count = async () => Number((await t.db.selectFrom('themes').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
    const before = await count()
    // 'Tema' followed by 0xFF 0xFE: a browser would have sent U+FFFD as EF BF BD; FormData would make these two of them.
    const bad = multipart([
      enc('--XyZ\r\nContent-Disposition: form-data; name="description"\r\n\r\nEn beskrivning\r\n'),
      enc('--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nTema'), new Uint8Array([0xff, 0xfe]), enc('\r\n--XyZ--\r\n'),
    ])
    const res = await t.request('/themes', { method: 'POST', headers, body: bad })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('otillåtna tecken')
    const api = await t.request('/api/v1/themes', { method: 'POST', headers: { ...headers, accept: 'application/json' }, body: bad })
    expect(api.status).toBe(400)
    expect((await api.json()).error).toMatchObject({ code: 'validation', fields: { name: expect.any(String) } })
    // Invalid UTF-8 in a field's name.
    const badName = multipart([enc('--XyZ\r\nContent-Disposition: form-data; name="na'), new Uint8Array([0xc0, 0xaf]), enc('me"\r\n\r\nTema\r\n--XyZ--\r\n')])
    expect((await t.request('/themes', { method: 'POST', headers, body: badName })).status).toBe(400)
    expect(await count()).toBe(before)
    // The same form in valid UTF-8 is stored; a file part's bytes are not text to check.
    const good = multipart([
      enc('--XyZ\r\nContent-Disposition: form-data; name="name"\r\n\r\nTema \u00e5\u00e4\u00f6\r\n'),
      enc('--XyZ\r\nContent-Disposition: form-data; name="bilaga"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'), new Uint8Array([0xff, 0xfe, 0x00, 0x41]),
      enc('\r\n--XyZ--\r\n'),
    ])
    const ok = await t.request('/themes', { method: 'POST', headers, body: good })
    expect(ok.status, await ok.text()).toBeLessThan(400)
    expect(await count()).toBe(before + 1)
  })

  it('keeps a database error to its SQLSTATE code and place: no message, query or parameters', async () => {
    let thrown: unknown
    try {
      await sql`select ${'hemlig.person@example.se'}::uuid`.execute(t.db)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeDefined()
    const logged = JSON.stringify(safeError(thrown))
    expect(logged).toContain('22P02')
    expect(logged).not.toContain('hemlig.person')
    expect(logged).not.toContain('select')
  })
})

describe('impossible dates', () => {
  it('answers year 0000 and out-of-range days with a validation error everywhere dates are read', async () => {
    const admin = await t.apiToken('admin')
    const editor = await t.browser('admin')
    for (const path of ['/api/v1/activities?to=0000-01-01', '/api/v1/interactions?to=0000-01-01', '/api/v1/audit?to=0000-01-01', '/api/v1/network?at=0000-01-01', '/api/v1/activities?from=2026-02-30']) {
      const res = await t.request(path, { headers: admin.headers })
      expect(res.status, path).toBe(400)
      expect((await res.json()).error.code).toBe('validation')
    }
    for (const path of ['/reports/period?to=0000-01-01', '/plans/coverage?to=0000-01-01', '/activities?to=0000-01-01']) {
      expect((await t.request(path, { headers: { cookie: editor.cookie } })).status, path).toBe(400)
    }
    const created = await t.request('/api/v1/projects', jsonRequest('POST', { name: 'Årtal noll', start_date: '0000-01-01' }, admin.headers))
    expect(created.status).toBe(400)
    expect((await created.json()).error.fields).toHaveProperty('start_date')
  })
})
