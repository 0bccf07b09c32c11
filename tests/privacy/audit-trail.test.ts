import { parse as parseCsv } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'

let t: TestApp
let editor: Who
let admin: Who
let api: Api
beforeAll(async () => ({ t, editor, admin, api } = await privacyApp()))
afterAll(() => t.close())

describe('the audit trail', () => {
  it('is append-only: no route or role changes or deletes a row, nor does SQL outside an erasure', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Aud', last_name: 'Itsson' })
    const rows = await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}`)
    const row = rows.data[0]
    for (const who of [admin, editor]) {
      for (const method of ['PATCH', 'PUT', 'DELETE', 'POST']) {
        for (const path of ['/api/v1/audit', `/api/v1/audit/${row.id}`]) {
          const res = await api.call(who, method, path, method === 'DELETE' ? undefined : { changes: {} })
          expect([403, 404, 405], `${method} ${path}`).toContain(res.status)
        }
      }
    }
    await expect(sql`update audit_log set changes = '{}'::jsonb where id = ${row.id}`.execute(t.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_log where id = ${row.id}`.execute(t.db)).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/)
    expect((await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}`)).data).toEqual(rows.data)
  })

  it('shows each record\'s history field by field, before → after, and the global log filters by action and exports CSV', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Hilda', last_name: 'Historik', title: 'Handläggare' })
    await api.ok(editor, 'PATCH', `/api/v1/contacts/${c.id}`, { version: c.version, title: 'Enhetschef' }, 200)
    const browser = await t.browser('editor')
    const history = await (await t.request(`/history/contact/${c.id}`, { headers: { cookie: browser.cookie } })).text()
    expect(history).toMatch(/<td>title<\/td><td>Handläggare<\/td><td>Enhetschef<\/td>/)
    const show = await (await t.request(`/contacts/${c.id}`, { headers: { cookie: browser.cookie } })).text()
    expect(show).toContain(`/history/contact/${c.id}#a-`)

    const updates = await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}&action=update`)
    expect(updates.data.map((a: { action: string }) => a.action)).toEqual(['update'])
    expect(updates.data[0].changes.title).toEqual(['Handläggare', 'Enhetschef'])

    const adminBrowser = await t.browser('admin')
    const page = await t.request(`/admin/audit?entity_type=contact&action=update`, { headers: { cookie: adminBrowser.cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Enhetschef')
    const csv = await (await t.request(`/admin/audit?entity_type=contact&format=csv`, { headers: { cookie: adminBrowser.cookie } })).text()
    const lines = parseCsv(csv.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(lines.find((l) => l.entity_id === c.id && l.field === 'title')).toMatchObject({ before: 'Handläggare', after: 'Enhetschef' })
    expect((await t.request('/admin/audit', { headers: { cookie: browser.cookie } })).status).toBe(403)
  })

  it('is a list by the protocol: keyset pages that keep the filters, a CSV line per changed field on the page and the API', async () => {
    const c = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Lista', last_name: 'Loggsson' })
    let version = c.version
    for (const n of [1, 2, 3]) version = (await api.ok(editor, 'PATCH', `/api/v1/contacts/${c.id}`, { version, title: `Titel ${n}`, notes: `Anteckning ${n}` }, 200)).version
    const all = (await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}`)).data as { id: string; at: string; action: string }[]
    expect(all.map((a) => a.action)).toEqual(['update', 'update', 'update', 'create'])

    // The API pages by keyset, newest first; the oldest first when asked.
    const first = await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}&limit=3`)
    const rest = await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}&limit=3&cursor=${first.next_cursor}`)
    expect([...first.data, ...rest.data].map((a: { id: string }) => a.id)).toEqual(all.map((a) => a.id))
    expect(rest.next_cursor).toBeNull()
    const oldest = await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${c.id}&dir=asc&limit=1`)
    expect(oldest.data[0].id).toBe(all[3]!.id)
    expect((await api.call(admin, 'GET', `/api/v1/audit?entity_id=${c.id}&cursor=${first.next_cursor}x`)).status).toBe(400)

    // The page's "more" link carries the filters on; the next page holds the next update.
    const browser = await t.browser('admin')
    const get = (url: string) => t.request(url, { headers: { cookie: browser.cookie } })
    const page = await (await get(`/admin/audit?entity_id=${c.id}&action=update&limit=1`)).text()
    expect(page).toContain(`id="a-${all[0]!.id}"`)
    const more = /href="(\/admin\/audit\?[^"]*cursor=[^"]*)"/.exec(page)![1]!.replaceAll('&amp;', '&')
    expect(more).toMatch(new RegExp(`^/admin/audit\\?entity_id=${c.id}&action=update&limit=1&cursor=`))
    const second = await (await get(more)).text()
    expect(second).toContain(`id="a-${all[1]!.id}"`)
    expect(second).not.toContain(`id="a-${all[0]!.id}"`)
    const csvLink = new RegExp(`href="(/admin/audit\\?entity_id=${c.id}&amp;action=update&amp;limit=1&amp;format=csv)"`).exec(page)
    expect(csvLink).not.toBeNull()

    // The CSV is the whole filtered log, one line per changed field, from the page and the API alike.
    for (const url of [csvLink![1]!.replaceAll('&amp;', '&'), `/api/v1/audit?entity_id=${c.id}&action=update&format=csv`]) {
      const res = url.startsWith('/api') ? await api.call(admin, 'GET', url) : await get(url)
      expect(res.status, url).toBe(200)
      const lines = parseCsv((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
      expect(lines.map((l) => [l.action, l.field, l.after]).sort()).toEqual([1, 2, 3].flatMap((n) => [['update', 'notes', `Anteckning ${n}`], ['update', 'title', `Titel ${n}`]]).sort())
      expect(new Set(lines.map((l) => l.user))).toEqual(new Set([editor.user.name]))
    }
  })

  it('audits every export of personal data: who, which list, which filters, how many rows', async () => {
    await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Ester', last_name: 'Export', county: 'Kalmar län' })
    const res = await api.call(editor, 'GET', '/api/v1/contacts?format=csv&county=Kalmar%20l%C3%A4n')
    expect(res.status).toBe(200)
    // A list export streams: it is audited with the rows that left once the file has been read.
    await res.text()
    await api.call(editor, 'GET', '/api/v1/network?format=graphml')
    const exports = (await api.ok(admin, 'GET', `/api/v1/audit?action=export&user_id=${editor.user.id}`)).data
    expect(exports.map((e: { changes: { list: [null, string] } }) => e.changes.list[1])).toEqual(expect.arrayContaining(['/contacts', '/api/v1/network?format=graphml']))
    const csvExport = exports.find((e: { changes: { list: [null, string] } }) => e.changes.list[1] === '/contacts')
    expect(csvExport.changes.filters[1]).toEqual({ county: 'Kalmar län' })
    expect(csvExport.changes.rows[1]).toBe(1)
  })

  it('every other file is audited too (one rule in csvResponse), and a chosen-rows export leaves hidden people out', async () => {
    const shown = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Valda', last_name: 'Vald' })
    const shielded = await api.ok(editor, 'POST', '/api/v1/contacts', { first_name: 'Petra', last_name: 'Skyddad', protected_identity: true })
    const browser = await t.browser('editor')
    const chosen = await t.request(`/contacts/export?id=${shown.id}&id=${shielded.id}`, { headers: { cookie: browser.cookie } })
    expect(chosen.status).toBe(200)
    const text = await chosen.text()
    expect(text).toContain('Vald')
    expect(text).not.toContain('Skyddad')
    expect((await t.request('/reports/period?format=csv', { headers: { cookie: browser.cookie } })).status).toBe(200)
    const users = await api.call(admin, 'GET', '/api/v1/users?format=csv')
    expect(users.status).toBe(200)
    await users.text()
    const byEditor = (await api.ok(admin, 'GET', `/api/v1/audit?action=export&user_id=${browser.user.id}`)).data
    const chosenExport = byEditor.find((e: { changes: { list: [null, string] } }) => e.changes.list[1] === '/contacts/export')
    expect(chosenExport.changes.rows[1]).toBe(1)
    expect(byEditor.map((e: { changes: { list: [null, string] } }) => e.changes.list[1])).toContain('/reports/period')
    const byAdmin = (await api.ok(admin, 'GET', `/api/v1/audit?action=export&user_id=${admin.user.id}`)).data
    expect(byAdmin.map((e: { changes: { list: [null, string] } }) => e.changes.list[1]).some((l: string) => l.endsWith('/users'))).toBe(true)
    // A list export is audited once, under the list's name.
    await (await api.call(editor, 'GET', '/api/v1/organisations?format=csv')).text()
    const lists = (await api.ok(admin, 'GET', `/api/v1/audit?action=export&user_id=${editor.user.id}`)).data
      .filter((e: { changes: { list: [null, string] } }) => e.changes.list[1].endsWith('organisations'))
    expect(lists).toHaveLength(1)
  })
})
