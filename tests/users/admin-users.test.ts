import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFrom, formPost, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
let admin: Awaited<ReturnType<TestApp['browser']>>
beforeAll(async () => {
  t = await testApp()
  admin = await t.browser('admin')
})
afterAll(() => t.close())

const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie: admin.cookie, ...headers } })
const post = (path: string, fields: Record<string, string>) => t.request(path, formPost(fields, admin.cookie))

describe('the users admin page', () => {
  it('creates a user from the form and shows a confirmation on the list', async () => {
    const res = await post('/admin/users', { name: 'Åsa Öberg', email: 'asa.oberg@example.se', role: 'editor', active: 'on', password: 'a good long password' })
    expect(res.status).toBe(303)
    const flash = cookieFrom(res, 'flash')
    const list = await get('/admin/users', { cookie: `${admin.cookie}; flash=${flash}` })
    const html = await list.text()
    expect(html).toContain('Användaren är skapad.')
    expect(html).toContain('Åsa Öberg')
    expect(html).toContain('Redaktör')
  })

  it('shows each problem next to its field and keeps what was typed', async () => {
    const res = await post('/admin/users', { name: 'Bo Ek', email: 'not-an-address', role: 'editor', active: 'on', password: 'short' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toMatch(/<p class="error" id="f-email-error">Ange en giltig e-postadress\.<\/p>/)
    expect(html).toMatch(/<p class="error" id="f-password-error">Minst 12 tecken\.<\/p>/)
    expect(html).toMatch(/id="f-email"[^>]*value="not-an-address"[^>]*aria-invalid="true"[^>]*aria-describedby="f-email-error"/)
    expect(html).toContain('value="Bo Ek"')
    // The password is never echoed back.
    expect(html).not.toContain('value="short"')
  })

  it('lists users in Swedish order: å, ä, ö after z', async () => {
    for (const name of ['Örjan Ödman', 'Zara Zetterberg', 'Ärla Äng', 'Åke Ås', 'Anders Alm']) {
      await t.user('viewer', { name })
    }
    const html = await (await get('/admin/users')).text()
    const order = ['Anders Alm', 'Zara Zetterberg', 'Åke Ås', 'Ärla Äng', 'Örjan Ödman'].map((n) => html.indexOf(n))
    expect(order.every((pos) => pos > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('filters the table for an htmx search, answering only the rows', async () => {
    await t.user('viewer', { name: 'Sökbar Person' })
    const res = await get('/admin/users?q=s%C3%B6kbar', { 'hx-request': 'true' })
    expect(res.status).toBe(200)
    expect(res.headers.get('vary')).toContain('HX-Request')
    const html = await res.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('Sökbar Person')
    expect(html).not.toContain('Anders Alm')
    // Folded as every search folds: typed without its ö, or with an ø.
    for (const q of ['SOKBAR', 'søkbar person']) expect(await (await get(`/admin/users?q=${encodeURIComponent(q)}`, { 'hx-request': 'true' })).text(), q).toContain('Sökbar Person')
  })

  it('pages through users with a keyset cursor', async () => {
    const first = await (await t.request('/api/v1/users?limit=2', { headers: { cookie: admin.cookie } })).json()
    expect(first.data).toHaveLength(2)
    const second = await (await t.request(`/api/v1/users?limit=2&cursor=${first.next_cursor}`, { headers: { cookie: admin.cookie } })).json()
    expect(second.data).toHaveLength(2)
    expect(second.data.map((u: { id: string }) => u.id)).not.toContain(first.data[0].id)
  })

  it('keeps every filter in the page\'s next link (the link once kept only the search and the role)', async () => {
    await t.user('viewer', { name: 'Vera Vilande' })
    await t.user('viewer', { name: 'Vilgot Vilande' })
    const html = await (await get('/admin/users?active=true&role=viewer&limit=1')).text()
    const next = new URL(html.match(/<a href="([^"]+)" rel="next">/)![1]!.replaceAll('&amp;', '&'), 'http://x')
    expect(next.pathname).toBe('/admin/users')
    expect(next.searchParams.get('active')).toBe('true')
    expect(next.searchParams.get('role')).toBe('viewer')
    expect(next.searchParams.get('limit')).toBe('1')
    expect(next.searchParams.get('cursor')).toBeTruthy()
  })

  it('changes a role and deactivates from the edit form', async () => {
    const u = await t.user('viewer', { name: 'Rolf Roll' })
    const edit = await (await get(`/admin/users/${u.id}/edit`)).text()
    expect(edit).toContain('name="version" value="1"')
    const res = await post(`/admin/users/${u.id}`, { name: 'Rolf Roll', email: u.email, role: 'editor', version: '1' })
    expect(res.status).toBe(303)
    const row = await t.db.selectFrom('users').select(['role', 'active', 'version']).where('id', '=', u.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ role: 'editor', active: false, version: 2 })
  })

  it('keeps my typing and shows the stored values when someone else saved first', async () => {
    const u = await t.user('viewer', { name: 'Greta Grund' })
    await post(`/admin/users/${u.id}`, { name: 'Greta Grundström', email: u.email, role: 'viewer', active: 'on', version: '1' })
    const res = await post(`/admin/users/${u.id}`, { name: 'Greta G. Grund', email: u.email, role: 'editor', active: 'on', version: '1' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Någon annan har ändrat uppgifterna')
    expect(html).toContain('value="Greta G. Grund"')
    expect(html).toContain('Sparat nu: Greta Grundström')
    expect(html).toContain('name="version" value="2"')
    const row = await t.db.selectFrom('users').select(['name', 'role']).where('id', '=', u.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ name: 'Greta Grundström', role: 'viewer' })
  })

  it('resets a password: the old one stops working', async () => {
    const u = await t.user('viewer')
    const res = await post(`/admin/users/${u.id}/password`, { password: 'reset by the admin 1', version: '1' })
    expect(res.status).toBe(303)
    const login = await t.request('/login', formPost({ email: u.email, password: 'reset by the admin 1' }))
    expect(login.status).toBe(303)
  })

  it('exports the user list as CSV that Excel reads', async () => {
    const res = await t.request('/api/v1/users?format=csv', { headers: { cookie: admin.cookie } })
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text.split('\r\n')[0]).toBe('\uFEFFid,email,name,role,active,last_login_at,version,created_at,updated_at')
    expect(text).toContain('Åsa Öberg')
  })
})
