import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backgroundCounts, computations, serveLastAfter, versioned, versionedOrLast } from '../../src/db/data-version.ts'
import type { Executor } from '../../src/db/write.ts'
import { dashboardCharts } from '../../src/reports/dashboard-charts.ts'
import { translator } from '../../src/web/i18n.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { ENGINE } from '../helpers/engines.ts'
import { apiOf, insertActivity } from '../plans/helpers.ts'

/**
 * At 200 000 contacts the dashboard's figures took 5.6 s to count again after each write, and
 * every reader waited for them (bench/README.md, *The dashboard after a write*). Where counting
 * takes long, the dashboard now shows the last figures at once, says they are being counted
 * again, and swaps in the new ones when they are ready (src/db/data-version.ts, versionedOrLast).
 */

let t: TestApp
let h: ReturnType<typeof apiOf>
let cookie: string
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  cookie = (await t.browser('viewer')).cookie
})
afterAll(() => t.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** A count that takes `ms` and answers how many times it has run. */
function counter(ms: number) {
  let n = 0
  return {
    count: async () => {
      await sleep(ms)
      return ++n
    },
    counted: () => n,
  }
}

/** A write to a table the figures read: the data version moves. */
const write = () => h.contact('Räkne', 'Skrivsson')

describe('figures that take long to count', () => {
  it('are served from the last count, marked, while the current one is made once', async () => {
    const { count: slowCount, counted } = counter(800)
    serveLastAfter(t.db, 250)
    const first = await versionedOrLast(t.db, 'test slow', slowCount)
    expect(first).toEqual({ value: 1, current: true })
    await write()
    // Two readers at once (on the embedded engine the count holds the one connection, so a reader
    // arriving later waits for it anyway: bench/README.md).
    const before = computations(t.db)
    const started = performance.now()
    const meanwhile = await Promise.all([versionedOrLast(t.db, 'test slow', slowCount), versionedOrLast(t.db, 'test slow', slowCount)])
    // Well before the 800 ms count could have ended.
    expect(performance.now() - started).toBeLessThan(600)
    for (const figures of meanwhile) {
      expect(figures.current).toBe(false)
      expect(figures.value).toBe(1)
      expect(figures.asOf).toBeInstanceOf(Date)
    }
    // One count for both.
    expect(computations(t.db)).toBe(before + 1)
    // Whoever asks for the current figures waits for that one count.
    expect(await versionedOrLast(t.db, 'test slow', slowCount, { current: true })).toEqual({ value: 2, current: true })
    expect(await versioned(t.db, 'test slow', slowCount)).toBe(2)
    expect(counted()).toBe(2)
    // Then it is current again, with nothing changed.
    expect(await versionedOrLast(t.db, 'test slow', slowCount)).toEqual({ value: 2, current: true })
  })

  // On the embedded engine a count holds the one connection: no write can be made during it.
  it.runIf(ENGINE === 'postgres')('are counted once at a time: writes made during a count wait for the next one', async () => {
    serveLastAfter(t.db, 250)
    const { count: slowCount } = counter(800)
    await versionedOrLast(t.db, 'test busy', slowCount)
    await write()
    const before = computations(t.db)
    // The last figures; the recount starts.
    expect(await versionedOrLast(t.db, 'test busy', slowCount)).toMatchObject({ value: 1, current: false })
    // A write while it runs (the count takes 800 ms, a write a few), and a reader after it: still the
    // last figures, and no second recount beside the first.
    await write()
    expect(await versionedOrLast(t.db, 'test busy', slowCount)).toMatchObject({ value: 1, current: false })
    expect(computations(t.db)).toBe(before + 1)
    // Current means after both writes: the recount under way, then one more.
    expect(await versionedOrLast(t.db, 'test busy', slowCount, { current: true })).toEqual({ value: 3, current: true })
    expect(computations(t.db)).toBe(before + 2)
  })

  it('are not shown old once a recount failed: the next reader waits, and sees the failure', async () => {
    serveLastAfter(t.db, 250)
    let fail = false
    const count = async () => {
      await sleep(400)
      if (fail) throw new Error('the count failed')
      return 'figures'
    }
    await versionedOrLast(t.db, 'test failing', count)
    await write()
    fail = true
    // The recount is not known to fail yet: the last figures, marked.
    expect(await versionedOrLast(t.db, 'test failing', count)).toMatchObject({ value: 'figures', current: false })
    await expect(versionedOrLast(t.db, 'test failing', count, { current: true })).rejects.toThrow('the count failed')
    // Now it is: a reader waits for the next count rather than being told old figures will be replaced.
    await expect(versionedOrLast(t.db, 'test failing', count)).rejects.toThrow('the count failed')
    fail = false
    expect(await versionedOrLast(t.db, 'test failing', count)).toEqual({ value: 'figures', current: true })
  })

  it('are waited for at shutdown, though no request waits for them', async () => {
    serveLastAfter(t.db, 250)
    const { count: slowCount, counted } = counter(400)
    await versionedOrLast(t.db, 'test shutdown', slowCount)
    await write()
    expect(await versionedOrLast(t.db, 'test shutdown', slowCount)).toMatchObject({ value: 1, current: false })
    expect(counted()).toBe(1)
    await backgroundCounts(t.db, 10_000)
    expect(counted()).toBe(2)
  })

  it('are always current where counting is quick, and on the first count', async () => {
    serveLastAfter(t.db, 250)
    let counted = 0
    const quickCount = async () => ++counted
    expect(await versionedOrLast(t.db, 'test quick', quickCount)).toEqual({ value: 1, current: true })
    await write()
    expect(await versionedOrLast(t.db, 'test quick', quickCount)).toEqual({ value: 2, current: true })
    const { count: slowCount } = counter(300)
    await write()
    expect(await versionedOrLast(t.db, 'test never counted', slowCount)).toEqual({ value: 1, current: true })
  })

  it('on the dashboard: the last plan progress, said to be recounted, then the current one in its place', async () => {
    const person = await h.contact('Räkne', 'Deltagarsson')
    const plan = await h.plan({ name: 'Räkning pågår', status: 'active', target: { contact_ids: [person.id] } })
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await t.request(path, { headers: { cookie, ...headers } })
      expect(res.status).toBe(200)
      return res.text()
    }
    const planBar = (html: string) => html.match(new RegExp(`Räkning pågår[^]*?(\\d+ of \\d+)`))?.[1]
    // As on a large register, where each count takes seconds.
    serveLastAfter(t.db, -1)
    try {
      const before = await get('/?lang=en')
      expect(planBar(before)).toBe('0 of 1')
      expect(before).not.toContain('being counted again')

      await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
      const meanwhile = await get('/?lang=en')
      expect(planBar(meanwhile)).toBe('0 of 1')
      expect(meanwhile).toMatch(/role="status">The figures below are from [^<]+\. Something has changed since, and they are being counted again/)
      expect(meanwhile).toContain('hx-get="/dashboard/charts" hx-trigger="load" hx-swap="outerHTML"')
      expect(meanwhile).toContain('<a href="/dashboard/charts" id="dash-charts-news">Show the new figures</a>')

      // What htmx asks for: the section alone, current.
      const swapped = await get('/dashboard/charts?lang=en', { 'HX-Request': 'true' })
      expect(swapped.trimStart()).toMatch(/^<section aria-labelledby="charts-h" class="dash-charts" id="dash-charts">/)
      expect(planBar(swapped)).toBe('1 of 1')
      expect(swapped).not.toContain('being counted again')
      // The same id as the link: htmx keeps a keyboard user's focus there rather than dropping it.
      expect(swapped).toContain('<p class="hint" id="dash-charts-news" tabindex="-1">The figures have been counted again and are now current.</p>')
      // …and said through the page's live region, which is there before the swap.
      expect(swapped).toContain('<div id="flash" role="status" aria-live="polite" hx-swap-oob="true"><p class="flash">The figures have been counted again and are now current.</p></div>')
      expect(meanwhile).toMatch(/<div id="flash" role="status" aria-live="polite">/)
      expect(swapped).not.toContain('<html')
      // Without script, the link: a page of its own, in Swedish by default.
      const page = await get('/dashboard/charts')
      expect(page).toContain('<html')
      expect(page).toMatch(/<h1>Översikt<\/h1>\s*<p><a href="\/">Tillbaka till översikten<\/a><\/p>/)
      expect(page).toMatch(/Räkning pågår[^]*?1 av 1/)
      expect(page).not.toContain('omräknade')

      const after = await get('/?lang=sv')
      expect(after).toMatch(/Räkning pågår[^]*?1 av 1/)
      expect(after).not.toContain('räknas om nu')
    } finally {
      serveLastAfter(t.db, 250)
    }
  })

  // On the embedded engine a transaction holds the one connection to its end: a count of a second
  // at 50 000 contacts kept every other request waiting as long (bench/README.md, bench:turns).
  it('counted in turns: another request is answered between the count’s statements, not after them all', async () => {
    serveLastAfter(t.db, 250)
    let countEnded = 0
    const count = async (db: Executor) => {
      await sql`select count(*) from contacts`.execute(db)
      await sleep(400)
      await sql`select count(*) from organisations`.execute(db)
      countEnded = performance.now()
      return 'figures'
    }
    const counting = versionedOrLast(t.db, 'test turns', count, { inTurns: true })
    await sleep(100)
    await sql`select count(*) from activities`.execute(t.db)
    const otherAnswered = performance.now()
    expect(await counting).toEqual({ value: 'figures', current: true })
    expect(otherAnswered).toBeLessThan(countEnded)
  })

  it('counted in turns, target by target, the plans’ progress is what one statement counts', async () => {
    const [anna, bo, cilla] = await Promise.all([h.contact('Turvis', 'Annasson'), h.contact('Turvis', 'Bosson'), h.contact('Turvis', 'Cillasson')])
    const both = { contact_ids: [anna.id, bo.id] }
    await h.plan({ name: 'Tur ett', status: 'active', target: both })
    await h.plan({ name: 'Tur två', status: 'active', target: both, deadline: '2000-01-01' })
    await h.plan({ name: 'Tur tre', status: 'active', target: { contact_ids: [cilla.id, bo.id] } })
    await insertActivity(t.db, { participants: [{ contact_id: bo.id }] })
    const today = new Date().toISOString().slice(0, 10)
    const bars = async (inTurns: boolean) => {
      const charts = await dashboardCharts(t.db, today, translator('en'), 'en', { current: true, inTurns })
      return charts.plans.rows.filter((r) => r.label.startsWith('Tur ')).map((r) => `${r.label}: ${r.text}`)
    }
    const inTurns = await bars(true)
    expect(inTurns.sort()).toEqual(['Tur ett: 1 of 2', 'Tur tre: 1 of 2', 'Tur två: 0 of 2'])
    await write()
    expect((await bars(false)).sort()).toEqual(inTurns)
  })

  it('the charts alone are the viewer’s to see, not a visitor’s', async () => {
    const res = await t.request('/dashboard/charts', { redirect: 'manual' })
    expect([302, 303, 401]).toContain(res.status)
  })
})
