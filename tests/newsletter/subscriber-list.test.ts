import { parse as parseCsv } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp } from '../helpers/app.ts'
import { subscribers } from './helpers.ts'

type App = Awaited<ReturnType<typeof testApp>>
type Sub = { contact_id: string; email: string; status: string; confirmed_at: string | null }

describe("a newsletter list's subscribers: the list protocol", () => {
  let t: App
  let headers: Record<string, string>
  let listId: string

  beforeAll(async () => {
    t = await testApp()
    headers = (await t.apiToken('editor')).headers
    listId = (await (await t.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Nyhetsbrev' }, headers))).json()).id
    const other = (await (await t.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Inbjudningar' }, headers))).json()).id
    // 130 subscribers (more than two pages of 50), three of them held after bounces, two who left
    // all bulk e-mail, and someone on another list only.
    await subscribers(t.db, listId, 130, 'sub')
    await subscribers(t.db, other, 1, 'elsewhere')
    await sql`insert into mail_standing (contact_id, held_at) select id, now() from contacts where email in ('sub1@example.org', 'sub2@example.org', 'sub3@example.org')`.execute(t.db)
    await sql`insert into mail_standing (contact_id, no_bulk_at) select id, now() from contacts where email in ('sub4@example.org', 'sub5@example.org')`.execute(t.db)
  })
  afterAll(() => t.close())

  const get = async (query = '') => {
    const res = await t.request(`/api/v1/newsletter/lists/${listId}/subscribers${query}`, { headers })
    expect(res.status, await res.clone().text()).toBe(200)
    return (await res.json()) as { data: Sub[]; next_cursor: string | null; total: number }
  }

  it('pages by address (50 by default), every subscriber once, and counts them', async () => {
    const seen: Sub[] = []
    let page = await get()
    expect(page.data).toHaveLength(50)
    expect(page.total).toBe(130)
    seen.push(...page.data)
    while (page.next_cursor) {
      page = await get(`?cursor=${encodeURIComponent(page.next_cursor)}`)
      seen.push(...page.data)
    }
    expect(seen).toHaveLength(130)
    expect(new Set(seen.map((s) => s.contact_id)).size).toBe(130)
    const emails = seen.map((s) => s.email)
    expect(emails).toEqual([...emails].sort())
    expect(emails).not.toContain('elsewhere1@example.org')
    expect(seen[0]).toMatchObject({ status: expect.any(String), confirmed_at: expect.stringMatching(/^\d{4}-/) })
  })

  it('filters by status (held and no-bulk-mail as such) and by a search on the address', async () => {
    const held = await get('?status=held')
    expect(held.data.map((s) => s.email).sort()).toEqual(['sub1@example.org', 'sub2@example.org', 'sub3@example.org'])
    const gone = await get('?status=unsubscribed&status=held')
    expect(gone.total).toBe(5)
    expect((await get('?status=subscribed&limit=200')).data).toHaveLength(125)
    expect((await get('?q=sub12')).data.map((s) => s.email).sort()).toEqual(['sub12@example.org', ...Array.from({ length: 10 }, (_, i) => `sub12${i}@example.org`)].sort())
  })

  it('exports the whole filtered list as CSV, not one page', async () => {
    const res = await t.request(`/api/v1/newsletter/lists/${listId}/subscribers?format=csv&status=subscribed`, { headers })
    expect(res.status).toBe(200)
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(125)
    expect(Object.keys(rows[0]!)).toEqual(['contact_id', 'email', 'status', 'confirmed_at'])
    expect(rows.every((r) => r.status === 'subscribed')).toBe(true)
  })

  it('refuses a crafted query with 400, an unknown list with 404, and a viewer', async () => {
    expect((await t.request(`/api/v1/newsletter/lists/${listId}/subscribers?status=nope`, { headers })).status).toBe(400)
    expect((await t.request(`/api/v1/newsletter/lists/${listId}/subscribers?cursor=xyz`, { headers })).status).toBe(400)
    expect((await t.request(`/api/v1/newsletter/lists/${listId}/subscribers?limit=500`, { headers })).status).toBe(400)
    expect((await t.request('/api/v1/newsletter/lists/00000000-0000-4000-8000-000000000000/subscribers', { headers })).status).toBe(404)
    const viewer = (await t.apiToken('viewer')).headers
    expect((await t.request(`/api/v1/newsletter/lists/${listId}/subscribers`, { headers: viewer })).status).toBe(403)
    // Another list's id in the query does not widen the list in the path.
    const other = (await (await t.request('/api/v1/newsletter/lists', { headers })).json()).data.find((l: { name: string }) => l.name === 'Inbjudningar').id
    expect((await get(`?list_id=${other}`)).total).toBe(130)
  })

  it('finds a subscriber by name as every search does: accents, case and letters such as ø aside', async () => {
    // Fictional people, added last: the counts above are of the 130.
    await sql`insert into contacts (first_name, last_name, email, sort_name, categories) values
      ('Bjørn', 'Østergaard', 'b.o@example.org', 'ostergaard bjorn', array['recipient']),
      ('Åsa', 'Lindström', 'a.l@example.org', 'lindstrom asa', array['recipient'])`.execute(t.db)
    await sql`insert into newsletter_subscriptions (list_id, contact_id, status, confirmed_at)
      select ${listId}, id, 'subscribed', now() from contacts where email in ('b.o@example.org', 'a.l@example.org')`.execute(t.db)
    const found = async (q: string) => (await get(`?q=${encodeURIComponent(q)}`)).data.map((s) => s.email)
    for (const q of ['bjorn', 'BJØRN', 'bjorn ostergaard', 'Østergaard']) expect(await found(q), q).toEqual(['b.o@example.org'])
    for (const q of ['asa lindstrom', 'ÅSA', 'lindström']) expect(await found(q), q).toEqual(['a.l@example.org'])
  })
})
