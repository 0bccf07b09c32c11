import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computations } from '../../src/db/data-version.ts'
import { kyselyOverPostgres, type Db } from '../../src/db/connect.ts'
import { planProgress, progressCounts } from '../../src/plans/plan-progress.ts'
import { dashboardCharts } from '../../src/reports/dashboard-charts.ts'
import { formatDate } from '../../src/web/format.ts'
import { translator } from '../../src/web/i18n.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { ENGINE } from '../helpers/engines.ts'
import { importFile } from '../import/import-helpers.ts'
import { apiOf, insertActivity } from './helpers.ts'

/**
 * Plan progress, the counts and the dashboard's figures are cached per data version
 * (src/db/data-version.ts): each write below changes progress, and the next read must show it —
 * whether it came through the API, straight into the tables, through an import or from another
 * app instance. Each case reads first, so that a result is cached before the write.
 */

let t: TestApp
let h: ReturnType<typeof apiOf>
let cookie: string
const today = () => formatDate(new Date())
beforeAll(async () => {
  t = await testApp()
  h = apiOf(t, await t.apiToken('editor'))
  cookie = (await t.browser('editor')).cookie
})
afterAll(() => t.close())

const counts = async (planId: string) => (await progressCounts(t.db, [planId], today())).get(planId)

describe('cached progress is never stale after a committed write', () => {
  it('a participation added (straight into the tables) is counted on the next read', async () => {
    const person = await h.contact('Cache', 'Deltagarsson')
    const plan = await h.plan({ name: 'Cache: deltagande', target: { contact_ids: [person.id] } })
    expect((await h.progress(plan.id)).reached_count).toBe(0)
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 0 })
    const activity = await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    expect((await h.progress(plan.id)).reached).toEqual([{ type: 'contact', id: person.id, label: 'Cache Deltagarsson', via_activity_ids: [activity] }])
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 1 })
  })

  it('a person’s new affiliation reaches the organisation they took part for', async () => {
    const org = await h.organisation('Cachens förvaltning')
    const person = await h.contact('Cache', 'Anställdsson')
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    const plan = await h.plan({ name: 'Cache: anknytning', target: { organisation_ids: [org.id] } })
    expect((await h.progress(plan.id)).reached_count).toBe(0)
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 0 })
    const res = await h.api('PATCH', `/api/v1/contacts/${person.id}`, { version: person.version, affiliations: [{ organisation_id: org.id }] })
    expect(res.status, await res.clone().text()).toBe(200)
    expect((await h.progress(plan.id)).reached_count).toBe(1)
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 1 })
  })

  it('an edited target is counted on the next read', async () => {
    const [a, b] = [await h.contact('Cache', 'Förstsson'), await h.contact('Cache', 'Sedansson')]
    const plan = await h.plan({ name: 'Cache: målgrupp', target: { contact_ids: [a.id] } })
    expect((await h.progress(plan.id)).target_count).toBe(1)
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 0 })
    const res = await h.api('PATCH', `/api/v1/plans/${plan.id}`, { version: plan.version, target: { contact_ids: [a.id, b.id] } })
    expect(res.status, await res.clone().text()).toBe(200)
    expect((await h.progress(plan.id)).target_count).toBe(2)
    expect(await counts(plan.id)).toEqual({ target_count: 2, reached_count: 0 })
  })

  it('people added by an import join the target group on the next read', async () => {
    await h.organisation('Cacheby kommun', 'municipality')
    const plan = await h.plan({ name: 'Cache: import', target: { filter: { affiliated_kinds: ['municipality'] } } })
    expect((await h.progress(plan.id)).target_count).toBe(0)
    expect(await counts(plan.id)).toEqual({ target_count: 0, reached_count: 0 })
    await importFile(t, cookie, 'contacts', 'Förnamn;Efternamn;E-post;Organisation\r\nImporterad;Cachesson;importerad.cachesson@example.se;Cacheby kommun\r\n')
    expect((await h.progress(plan.id)).not_reached.map((r) => r.label)).toEqual(['Importerad Cachesson'])
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 0 })
  })

  it('the dashboard’s plan chart follows a participation added', async () => {
    const person = await h.contact('Cache', 'Instrumentsson')
    const plan = await h.plan({ name: 'Cache: översikt', status: 'active', target: { contact_ids: [person.id] } })
    const planText = async () => {
      const charts = await dashboardCharts(t.db, today(), translator('en'), 'en')
      expect(charts.plansList.map((p) => p.id)).toContain(plan.id)
      return JSON.stringify(charts.plans)
    }
    const before = await planText()
    expect(before).toContain('0 of 1')
    expect(await planText()).toBe(before)
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    expect(await planText()).toContain('1 of 1')
  })
})

describe('one computation per data version', () => {
  it('ten simultaneous reads of one plan’s progress compute it once, and a write makes the next read compute again', async () => {
    const person = await h.contact('Cache', 'Samtidigsson')
    const plan = await h.plan({ name: 'Cache: samtidigt', target: { contact_ids: [person.id] } })
    const before = computations(t.db)
    const results = await Promise.all(Array.from({ length: 10 }, () => planProgress(t.db, plan.id, today())))
    expect(computations(t.db) - before).toBe(1)
    expect(new Set(results).size).toBe(1)
    await Promise.all(Array.from({ length: 10 }, () => planProgress(t.db, plan.id, today())))
    expect(computations(t.db) - before).toBe(1)
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    const after = await Promise.all(Array.from({ length: 10 }, () => planProgress(t.db, plan.id, today())))
    expect(computations(t.db) - before).toBe(2)
    expect(after.map((p) => p.reached_count)).toEqual(Array(10).fill(1))
  })
})

describe('the answer is written out once per computed result', () => {
  it('gzipped for a client that takes it, the same JSON as unzipped, and a new one after a write', async () => {
    // Enough people for an answer over the 1 kB below which nothing is gzipped.
    const people = []
    for (let i = 0; i < 16; i++) people.push(await h.contact('Cache', `Packarsson ${i}`))
    const person = people[0]!
    const plan = await h.plan({ name: 'Cache: packad', target: { contact_ids: people.map((p) => p.id) } })
    const path = `/api/v1/plans/${plan.id}/progress`
    const token = await t.apiToken('viewer')
    const ask = (encoding?: string) => t.request(path, { headers: { ...token.headers, ...(encoding ? { 'accept-encoding': encoding } : {}) } })
    const plain = await ask()
    expect(plain.headers.get('content-encoding')).toBeNull()
    const text = await plain.text()
    expect(text.length).toBeGreaterThan(1024)
    expect(JSON.parse(text)).toMatchObject({ target_count: 16, reached_count: 0 })
    const zipped = await ask('br;q=1, gzip;q=0.8')
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('content-type')).toBe('application/json')
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(text)
    // gzip;q=0 refuses it.
    expect((await ask('gzip;q=0')).headers.get('content-encoding')).toBeNull()
    await insertActivity(t.db, { participants: [{ contact_id: person.id }] })
    const after = await ask('gzip')
    expect(JSON.parse(gunzipSync(Buffer.from(await after.arrayBuffer())).toString())).toMatchObject({ reached_count: 1 })
  })
})

describe.skipIf(ENGINE !== 'postgres')('two app instances on one PostgreSQL', () => {
  let other: Db
  beforeAll(() => {
    other = kyselyOverPostgres(t.url!).db
  })
  afterAll(() => other?.destroy())

  it('a write made through the other instance is seen by this one’s next read', async () => {
    const person = await h.contact('Cache', 'Andrasson')
    const plan = await h.plan({ name: 'Cache: två instanser', target: { contact_ids: [person.id] } })
    expect((await planProgress(t.db, plan.id, today())).reached_count).toBe(0)
    expect((await planProgress(other, plan.id, today())).reached_count).toBe(0)
    await insertActivity(other, { participants: [{ contact_id: person.id }] })
    expect((await planProgress(t.db, plan.id, today())).reached_count).toBe(1)
    expect(await counts(plan.id)).toEqual({ target_count: 1, reached_count: 1 })
  })
})
