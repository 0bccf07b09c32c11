import ical, { type DateWithTimeZone, type VEvent } from 'node-ical'
import pino from 'pino'
import { createApp } from '../../src/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, groupByDate, isoWeek, monthGrid } from '../../src/activities/calendar.ts'
import { formatDate } from '../../src/web/format.ts'
import { formPost, testApp, testConfig, type TestApp } from '../helpers/app.ts'
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

const page = async (path: string, who = viewer) => {
  const res = await t.request(path, { headers: { cookie: who.cookie } })
  return { status: res.status, html: await res.text() }
}
/** The titles shown in the month grid's cell for `day`. */
const cellTitles = (html: string, day: string) => {
  const start = html.indexOf(`datetime="${day}"`)
  if (start < 0) return null
  const cell = html.slice(start, html.indexOf('</td>', start))
  return [...cell.matchAll(/class="cal-item[^"]*" href="[^"]+">([^<]+)/g)].map((m) => m[1]!.trim())
}

describe('calendar arithmetic', () => {
  it('starts weeks on Monday and numbers them as ISO weeks', () => {
    const grid = monthGrid('2026-03', [], '2026-03-15')
    // 1 March 2026 is a Sunday: the first row begins on Monday 23 February, in week 9.
    expect(grid.weeks[0]!.days[0]!.date).toBe('2026-02-23')
    expect(grid.weeks[0]!.week).toBe(9)
    expect(grid.weeks.at(-1)!.days.at(-1)!.date).toBe('2026-04-05')
    expect(grid.weeks.flatMap((w) => w.days).filter((d) => d.inMonth)).toHaveLength(31)
    expect([grid.prev, grid.next]).toEqual(['2026-02', '2026-04'])
    expect(isoWeek('2027-01-01')).toBe(53)
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
  })

  it('groups agenda items by date, keeping their order', () => {
    const items = [{ start_date: '2026-01-02', n: 1 }, { start_date: '2026-01-02', n: 2 }, { start_date: '2026-01-05', n: 3 }]
    expect(groupByDate(items).map((g) => [g.date, g.items.map((i) => i.n)])).toEqual([['2026-01-02', [1, 2]], ['2026-01-05', [3]]])
  })
})

describe('the calendar pages', () => {
  it('puts an activity on its day and a multi-day one on each of its days', async () => {
    await h.activity({ title: 'Seminarium om språkstöd', start_date: '2026-03-10' })
    await h.activity({ title: 'Årskonferensen', type: 'conference', start_date: '2026-03-30', end_date: '2026-04-01' })
    const { status, html } = await page('/activities/calendar?month=2026-03')
    expect(status).toBe(200)
    expect(html).toContain('<caption>mars 2026</caption>')
    expect(html).toMatch(/<th scope="col"><abbr title="måndag">mån<\/abbr><\/th>/)
    expect(cellTitles(html, '2026-03-10')).toEqual(['Seminarium om språkstöd'])
    expect(cellTitles(html, '2026-03-11')).toEqual([])
    for (const day of ['2026-03-30', '2026-03-31', '2026-04-01']) expect(cellTitles(html, day)).toEqual(['Årskonferensen'])
    expect(cellTitles(html, '2026-04-02')).toEqual([])
    expect(html).toContain('href="/activities/calendar?month=2026-02"')
    expect(html).toContain('href="/activities/calendar?month=2026-04"')
    // April shows the conference's last day too.
    expect(cellTitles((await page('/activities/calendar?month=2026-04')).html, '2026-04-01')).toEqual(['Årskonferensen'])
  })

  it('refuses a month that is not YYYY-MM', async () => {
    expect((await page('/activities/calendar?month=2026-13')).status).toBe(400)
  })

  it('lists the agenda: upcoming in date order, then the past newest first', async () => {
    const today = formatDate(new Date())
    await h.activity({ title: 'Snart', start_date: addDays(today, 3) })
    await h.activity({ title: 'Senare', start_date: addDays(today, 20) })
    await h.activity({ title: 'Pågår', start_date: addDays(today, -1), end_date: addDays(today, 1) })
    await h.activity({ title: 'Nyss', start_date: addDays(today, -2) })
    await h.activity({ title: 'Länge sedan', start_date: addDays(today, -40) })
    const { html } = await page('/activities/calendar?view=agenda')
    const upcoming = html.slice(html.indexOf('id="upcoming-h"'), html.indexOf('id="past-h"'))
    const past = html.slice(html.indexOf('id="past-h"'))
    const order = (part: string, titles: string[]) => titles.map((x) => part.indexOf(`>${x}</a>`))
    const up = order(upcoming, ['Pågår', 'Snart', 'Senare'])
    expect(up.every((i) => i >= 0)).toBe(true)
    expect([...up].sort((a, b) => a - b)).toEqual(up)
    const down = order(past, ['Nyss', 'Länge sedan'])
    expect(down.every((i) => i >= 0)).toBe(true)
    expect([...down].sort((a, b) => a - b)).toEqual(down)
    expect(upcoming).not.toContain('>Nyss</a>')
  })
})

describe('the iCalendar feed', () => {
  async function feedUrl(who: { cookie: string }): Promise<string> {
    const res = await t.request('/activities/calendar/subscribe', formPost({}, who.cookie))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toMatch(/\bno-store\b/)
    const url = /id="f-feed-url" type="text" readonly value="([^"]+)"/.exec(await res.text())![1]!
    return new URL(url).pathname
  }

  it('gives planned activities to a calendar program with the secret address alone, as all-day events', async () => {
    const today = formatDate(new Date())
    const planned = await h.activity({ title: 'Nätverksträff i Göteborg', start_date: addDays(today, 10), end_date: addDays(today, 11), location: 'Göteborg' })
    const cancelled = await h.activity({ title: 'Inställt seminarium', start_date: addDays(today, 5) })
    await h.api('PATCH', `/api/v1/activities/${cancelled.id}`, { version: 1, status: 'cancelled' })
    await h.activity({ title: 'Gammal och klar', status: 'done', start_date: addDays(today, -400) })
    await h.activity({ title: 'Utan datum' })
    const path = await feedUrl(viewer)
    expect(path).toMatch(/^\/calendar\/feed\/[a-z2-7]{40}\.ics$/)

    const res = await t.request(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    expect(res.headers.getSetCookie()).toEqual([])
    const events = Object.values(ical.sync.parseICS(await res.text())).filter((c) => c?.type === 'VEVENT') as VEvent[]
    const byTitle = new Map(events.map((e) => [String(e.summary), e]))
    expect([...byTitle.keys()]).toEqual(expect.arrayContaining(['Inställt seminarium', 'Nätverksträff i Göteborg']))
    expect([...byTitle.keys()]).not.toContain('Gammal och klar')
    expect([...byTitle.keys()]).not.toContain('Utan datum')
    const meeting = byTitle.get('Nätverksträff i Göteborg')!
    expect(meeting.uid).toBe(`${planned.id}@localhost`)
    expect(meeting.location).toBe('Göteborg')
    const url = meeting.url as unknown as string | { val: string }
    expect(typeof url === 'string' ? url : url.val).toBe(`http://localhost/activities/${planned.id}`)
    const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    expect((meeting.start as DateWithTimeZone).dateOnly).toBe(true)
    expect(local(meeting.start)).toBe(addDays(today, 10))
    // The end of an all-day event is the day after its last day.
    expect(local(meeting.end!)).toBe(addDays(today, 12))
    expect(byTitle.get('Inställt seminarium')!.status).toBe('CANCELLED')
  })

  it('answers 404 to an unknown or replaced address', async () => {
    const path = await feedUrl(viewer)
    expect((await t.request('/calendar/feed/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.ics')).status).toBe(404)
    expect((await t.request('/calendar/feed/not-a-token.ics')).status).toBe(404)
    const newer = await feedUrl(viewer)
    expect(newer).not.toBe(path)
    expect((await t.request(path)).status).toBe(404)
    expect((await t.request(newer)).status).toBe(200)
  })

  it('stops working when its user is deactivated', async () => {
    const who = await t.browser('viewer')
    const path = await feedUrl(who)
    expect((await t.request(path)).status).toBe(200)
    await t.db.updateTable('users').set({ active: false }).where('id', '=', who.user.id).execute()
    expect((await t.request(path)).status).toBe(404)
  })

  it('shows the address only once, offering a new one afterwards', async () => {
    const who = await t.browser('viewer')
    expect((await page('/activities/calendar/subscribe', who)).html).toContain('Skapa min kalenderadress')
    await feedUrl(who)
    const { html } = await page('/activities/calendar/subscribe', who)
    expect(html).not.toContain('/calendar/feed/')
    expect(html).toContain('Skapa en ny adress')
  })

  it('keeps the secret address out of the request log', async () => {
    const path = await feedUrl(viewer)
    const lines: string[] = []
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
    const logged = createApp({ db: t.db, engine: t.engine, config: testConfig, log })
    expect((await logged.request(path)).status).toBe(200)
    const token = path.split('/').at(-1)!.replace('.ics', '')
    expect(lines.join('')).toContain('/calendar/feed/[redacted]')
    expect(lines.join('')).not.toContain(token)
  })
})
