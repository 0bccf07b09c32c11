import { parse as parseCsv } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp } from '../helpers/app.ts'

type App = Awaited<ReturnType<typeof testApp>>

describe("an event's registrations: the list protocol, on the page and in the API", () => {
  let t: App
  let headers: Record<string, string>
  let editor: string
  let activityId: string

  beforeAll(async () => {
    t = await testApp()
    headers = (await t.apiToken('editor')).headers
    editor = (await t.browser('editor')).cookie
    activityId = (await (await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Årskonferens', type: 'conference', status: 'planned', start_date: '2099-09-01', participants: [] }, headers))).json()).id
    expect((await t.request(`/api/v1/activities/${activityId}/registration`, jsonRequest('PUT', { open: true, questions: [] }, headers))).status).toBe(200)
    // 62 registrations (more than a page of 50), a minute apart; the last two cancelled. Their
    // times have microseconds, as now() gives them on PostgreSQL (a page's last row must not come again).
    await sql`insert into contacts (first_name, last_name, email, sort_name)
      select 'Deltagare', 'Nr' || g, 'deltagare' || g || '@example.org', 'nr' || g from generate_series(1, 62) g`.execute(t.db)
    await sql`insert into event_registrations (activity_id, contact_id, status, answers, lang, created_at, cancelled_at)
      select ${activityId}, c.id, case when g > 60 then 'cancelled' else 'registered' end, '{}'::jsonb, 'sv',
        timestamptz '2026-11-01 09:00:00.000123+00' + g * interval '1 minute', case when g > 60 then now() end
      from generate_series(1, 62) g join contacts c on c.email = 'deltagare' || g || '@example.org'`.execute(t.db)
  })
  afterAll(() => t.close())

  it('pages the API in the order they came, each once, with a total; filters by status; exports all as CSV', async () => {
    const first = await (await t.request(`/api/v1/activities/${activityId}/registrations`, { headers })).json()
    expect(first.data).toHaveLength(50)
    expect(first.total).toBe(62)
    expect(first.data[0].email).toBe('deltagare1@example.org')
    const second = await (await t.request(`/api/v1/activities/${activityId}/registrations?cursor=${encodeURIComponent(first.next_cursor)}`, { headers })).json()
    expect(second.data).toHaveLength(12)
    expect(second.next_cursor).toBeNull()
    expect(second.data.at(-1).email).toBe('deltagare62@example.org')
    const cancelled = await (await t.request(`/api/v1/activities/${activityId}/registrations?status=cancelled`, { headers })).json()
    expect(cancelled.data.map((r: { email: string }) => r.email)).toEqual(['deltagare61@example.org', 'deltagare62@example.org'])
    const csv = await t.request(`/api/v1/activities/${activityId}/registrations?format=csv&status=registered`, { headers })
    expect(csv.status).toBe(200)
    const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(60)
    expect(rows[0]).toMatchObject({ name: 'Deltagare Nr1', email: 'deltagare1@example.org', status: 'registered' })
    expect((await t.request(`/api/v1/activities/${activityId}/registrations?status=nope`, { headers })).status).toBe(400)
  })

  it('the registration page shows 50 and links to the next page, which shows the rest', async () => {
    const html = await (await t.request(`/activities/${activityId}/registration`, { headers: { cookie: editor } })).text()
    expect(html.match(/deltagare\d+@example\.org/g)).toHaveLength(50)
    const next = /<a rel="next" href="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&')
    expect(next).toMatch(new RegExp(`^/activities/${activityId}/registration\\?cursor=`))
    const rest = await (await t.request(next.replace(/#.*$/, ''), { headers: { cookie: editor } })).text()
    expect(rest.match(/deltagare\d+@example\.org/g)).toHaveLength(12)
    expect(rest).not.toContain('rel="next"')
    expect(rest).toContain('Första sidan')
  })
})
