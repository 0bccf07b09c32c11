import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planProgress, progressCounts } from '../../src/plans/plan-progress.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { insertActivity, insertProduct } from './helpers.ts'

/**
 * The plan list, the dashboard and the report count progress with one query (`progressCounts`:
 * a yes/no per target), the plan page lists the activities that reached each target
 * (`planProgress`). Both must say what the contract's rule says. Here the rule is written out a
 * third time, plainly in TypeScript over the raw rows, and compared on a small register made
 * from a seeded pseudo-random generator: people, organisations, affiliations with periods,
 * activities of every status (deleted, undated, themed, with products) and plans with and
 * without deadlines, themes, products and their own qualifying attendance.
 */

const TODAY = '2026-12-03'

// A small seeded generator (mulberry32): the same register every run.
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('plan progress: the one-query counts, the listed progress and the rule agree', () => {
  it('on a pseudo-random register, today and as it stood on an earlier day', async () => {
    const r = rng(20261203)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
    const db = t.db
    const date = (m: number) => `2026-${String(m).padStart(2, '0')}-15`
    const themes = await Promise.all(['Tema A', 'Tema B', 'Tema C'].map(async (name) =>
      (await db.insertInto('themes').values({ name, sort_name: name.toLowerCase(), search_text: name.toLowerCase() } as never).returning('id').executeTakeFirstOrThrow()).id))
    const product = await insertProduct(db, 'Metod Ekvivalens')

    const kinds = ['municipality', 'county_board', 'ngo'] as const
    const orgs: { id: string; kind: string; county: string }[] = []
    for (let i = 0; i < 8; i++) {
      const kind = kinds[i % 3]!
      const county = pick(['Gotlands län', 'Jämtlands län'])
      const row = await db.insertInto('organisations')
        .values({ name: `Ekvivalens org ${i}`, sort_name: `ekvivalens org ${i}`, kind, county, deleted_at: i === 7 ? new Date() : null } as never)
        .returning('id').executeTakeFirstOrThrow()
      orgs.push({ id: row.id, kind, county })
    }
    const people: { id: string; deleted: boolean }[] = []
    for (let i = 0; i < 24; i++) {
      const deleted = i === 23
      const row = await db.insertInto('contacts')
        .values({
          first_name: `Person${i}`, last_name: 'Ekvivalensson', sort_name: `ekvivalensson person${i}`,
          categories: [pick(['official', 'practitioner'])], county: r() < 0.5 ? pick(['Gotlands län', 'Jämtlands län']) : null,
          deleted_at: deleted ? new Date() : null,
        } as never)
        .returning('id').executeTakeFirstOrThrow()
      people.push({ id: row.id, deleted })
    }
    const affiliations: { contact_id: string; organisation_id: string; start_date: string | null; end_date: string | null }[] = []
    for (const p of people) {
      for (let k = 0; k < 1 + Math.floor(r() * 2); k++) {
        const from = r() < 0.4 ? null : date(1 + Math.floor(r() * 6))
        const to = r() < 0.5 ? null : date(7 + Math.floor(r() * 6))
        const a = { contact_id: p.id, organisation_id: pick(orgs).id, start_date: from, end_date: to }
        affiliations.push(a)
        await db.insertInto('affiliations').values({ ...a, is_primary: k === 0 } as never).execute()
      }
    }
    const attendances = ['invited', 'registered', 'attended', 'received', 'no_show'] as const
    const activities: { id: string; status: string; deleted: boolean; start_date: string | null; theme_ids: string[]; product_ids: string[] }[] = []
    const participations: { activity_id: string; contact_id: string | null; organisation_id: string | null; attendance: string }[] = []
    for (let i = 0; i < 30; i++) {
      const spec = {
        status: pick(['done', 'done', 'done', 'planned', 'cancelled'] as const),
        deleted: r() < 0.1,
        start_date: r() < 0.15 ? null : date(1 + Math.floor(r() * 12)),
        theme_ids: r() < 0.4 ? [] : [pick(themes)],
        product_ids: r() < 0.8 ? [] : [product],
      }
      const parts = Array.from({ length: 1 + Math.floor(r() * 4) }, () =>
        r() < 0.75 ? { contact_id: pick(people).id, attendance: pick(attendances) } : { organisation_id: pick(orgs).id, attendance: pick(attendances) })
      const id = await insertActivity(db, { ...spec, end_date: null, participants: parts })
      activities.push({ id, ...spec })
      for (const p of parts) participations.push({ activity_id: id, contact_id: p.contact_id ?? null, organisation_id: p.organisation_id ?? null, attendance: p.attendance })
    }
    const targets = [
      { contact_ids: people.slice(0, 10).map((p) => p.id) },
      { organisation_ids: orgs.map((o) => o.id) },
      { filter: { kinds: ['municipality'] } },
      { filter: { categories: ['official'] } },
      { filter: { counties: ['Gotlands län'] } },
      { filter: { categories: ['practitioner'], affiliated_kinds: ['ngo'] } },
    ]
    const plans: { id: string; deadline: string | null; theme_ids: string[]; product_ids: string[]; qualifying_attendance: string[] }[] = []
    for (let i = 0; i < 18; i++) {
      const p = {
        deadline: pick([null, '2026-06-30', '2026-09-15']),
        theme_ids: pick([[], [], [themes[0]!], [themes[1]!, themes[2]!]]),
        product_ids: r() < 0.2 ? [product] : [],
        qualifying_attendance: pick([['attended', 'received'], ['attended', 'received'], ['registered']]),
      }
      const row = await db.insertInto('plans')
        .values({ name: `Ekvivalens ${i}`, sort_name: `ekvivalens ${i}`, status: 'active', target: JSON.stringify(targets[i % targets.length]), ...p } as never)
        .returning('id').executeTakeFirstOrThrow()
      plans.push({ id: row.id, ...p })
    }

    // The rule, plainly.
    const liveContact = new Set(people.filter((p) => !p.deleted).map((p) => p.id))
    const within = (a: { start_date: string | null; end_date: string | null }, day: string) =>
      (a.start_date === null || a.start_date <= day) && (a.end_date === null || a.end_date >= day)
    const reachedBy = (plan: (typeof plans)[number], type: string, id: string, until?: string): string[] => {
      const counts = activities.filter((a) => a.status === 'done' && !a.deleted
        && (plan.deadline === null || (a.start_date !== null && a.start_date <= plan.deadline))
        && (until === undefined || (a.start_date !== null && a.start_date <= until))
        && ((plan.theme_ids.length === 0 && plan.product_ids.length === 0)
          || a.theme_ids.some((x) => plan.theme_ids.includes(x)) || a.product_ids.some((x) => plan.product_ids.includes(x))))
      return counts.filter((a) => participations.some((p) => p.activity_id === a.id && plan.qualifying_attendance.includes(p.attendance) && (
        type === 'contact'
          ? p.contact_id === id
          : p.organisation_id === id || (p.contact_id !== null && liveContact.has(p.contact_id)
            && affiliations.some((af) => af.organisation_id === id && af.contact_id === p.contact_id && within(af, a.start_date ?? TODAY)))
      ))).map((a) => a.id)
    }

    for (const until of [undefined, '2026-05-31']) {
      const counted = await progressCounts(db, plans.map((p) => p.id), TODAY, until)
      for (const plan of plans) {
        const listed = await planProgress(db, plan.id, TODAY)
        const expected = listed.targets.filter((x) => reachedBy(plan, x.type, x.id, until).length > 0).length
        expect(counted.get(plan.id), `plan ${plans.indexOf(plan)}, until ${until}`).toEqual({ target_count: listed.target_count, reached_count: expected })
        if (until === undefined) {
          for (const x of listed.targets) expect([...x.via_activity_ids].sort(), `${x.type} ${x.id}`).toEqual(reachedBy(plan, x.type, x.id).sort())
        }
      }
    }
    // Not a vacuous comparison: some plans reach some of their targets and miss others.
    const all = await progressCounts(db, plans.map((p) => p.id), TODAY)
    expect([...all.values()].some((c) => c.reached_count > 0 && c.reached_count < c.target_count)).toBe(true)
  })
})
