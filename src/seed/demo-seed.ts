import type { Transaction } from 'kysely'
import { createContact } from '../contacts/contacts.service.ts'
import { createContact as contactSchema } from '../contacts/contacts.schema.ts'
import type { Database } from '../db/schema.ts'
import { refreshStatistics } from '../db/statistics.ts'
import { inTransaction, type Actor, type Executor } from '../db/write.ts'
import { letOthersIn } from '../db/turns.ts'
import { createInteraction } from '../interactions/interactions.service.ts'
import { createInteraction as interactionSchema } from '../interactions/interactions.schema.ts'
import { createOrganisation } from '../organisations/organisations.service.ts'
import { createOrganisation as organisationSchema } from '../organisations/organisations.schema.ts'
import { createTheme } from '../themes/themes.service.ts'
import { translator } from '../web/i18n.ts'
import { demoPlan, type PlanContact, type PlanInteraction, type PlanOrganisation } from './demo-plan.ts'
import { seedProjects } from './demo-projects.ts'
import { seedCurrentPeriod, type CurrentResult } from './demo-current.ts'

export interface SeedOptions {
  /** Who the audit log names: the admin who asked for it, or the system (userId null). */
  actor: Actor
  /** The user the open follow-ups are for; none leaves them with the actor. */
  assigneeId?: string | null
  log?: (message: string) => void
  /** Called as each step starts, with how far the whole load has come (0–100, by typical time). */
  progress?: (step: DemoStep, percent: number) => void
}

export type DemoStep = 'themes' | 'organisations' | 'contacts' | 'interactions' | 'projects' | 'bodies' | 'alliances' | 'activities' | 'plans' | 'newsletters' | 'statistics'
/** Where each step starts, in percent of a typical load's time. */
const STEP_START: Record<DemoStep, number> = {
  themes: 0, organisations: 2, contacts: 10, interactions: 35, projects: 50, bodies: 58, alliances: 61, activities: 64, plans: 90, newsletters: 92, statistics: 97,
}

export interface SeedResult {
  created: { themes: number; organisations: number; contacts: number; interactions: number; projects: number; products: number } & CurrentResult
  ms: number
}

/**
 * What is already there, by natural key. A record the seed made before — or a user made or
 * deleted since — is never made again: deleted ones stay deleted, and references to them are
 * left out of what the seed still creates.
 */
interface Known {
  live: Map<string, string>
  gone: Set<string>
}

function known(rows: { id: string; key: string; deleted_at: Date | null }[]): Known {
  const k: Known = { live: new Map(), gone: new Set() }
  for (const r of rows) {
    if (r.deleted_at) k.gone.add(r.key)
    else k.live.set(r.key, r.id)
  }
  for (const key of k.live.keys()) k.gone.delete(key)
  return k
}

const has = (k: Known, key: string) => k.live.has(key) || k.gone.has(key)
const lower = (s: string) => s.toLowerCase()

/** One short transaction per batch: the embedded database has a single connection for everyone. */
async function inBatches<T>(db: Executor, items: readonly T[], size: number, fn: (tx: Transaction<Database>, item: T) => Promise<void>, done: (fraction: number) => void = () => {}) {
  for (let i = 0; i < items.length; i += size) {
    if (i) done(i / items.length)
    const batch = items.slice(i, i + size)
    await letOthersIn()
    await inTransaction(db, async (tx) => {
      for (const item of batch) await fn(tx, item)
    })
  }
}

async function seedThemes(db: Executor, plan: ReturnType<typeof demoPlan>, actor: Actor) {
  const rows = await db.selectFrom('themes').select(['id', 'name', 'parent_id', 'deleted_at']).execute()
  const existing = known(rows.map((r) => ({ id: r.id, key: `${r.parent_id ?? ''}|${lower(r.name)}`, deleted_at: r.deleted_at })))
  const byPath = new Map<string, string>()
  let created = 0
  // Parents come first in the plan; each level needs the ids of the one above, so one batch each.
  for (const level of [plan.themes.filter((th) => !th.parentPath), plan.themes.filter((th) => th.parentPath)]) {
    await inBatches(db, level, 100, async (tx, th) => {
      const parentId = th.parentPath ? byPath.get(th.parentPath) : null
      if (parentId === undefined) return
      const key = `${parentId ?? ''}|${lower(th.name)}`
      if (has(existing, key)) {
        const id = existing.live.get(key)
        if (id) byPath.set(th.path, id)
        return
      }
      const row = await createTheme(tx, { name: th.name, parent_id: parentId, description: th.description }, actor)
      byPath.set(th.path, row.id)
      created++
    })
  }
  return { byPath, created }
}

async function seedOrganisations(db: Executor, list: PlanOrganisation[], themeIds: Map<string, string>, actor: Actor) {
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'org_number', 'deleted_at']).execute()
  const existing = known(rows.map((r) => ({ id: r.id, key: lower(r.name), deleted_at: r.deleted_at })))
  const takenNumbers = new Set(rows.filter((r) => r.org_number && !r.deleted_at).map((r) => r.org_number))
  let created = 0
  await inBatches(db, list, 60, async (tx, o) => {
    if (has(existing, lower(o.name))) return
    const input = organisationSchema.parse({
      name: o.name,
      short_name: o.short_name,
      kind: o.kind,
      country: o.country,
      county: o.county,
      // Someone already registered this number under another name: theirs stands.
      org_number: o.org_number && !takenNumbers.has(o.org_number) ? o.org_number : null,
      website: o.website,
      parent_id: (o.parentName && existing.live.get(lower(o.parentName))) ?? null,
      influence: o.influence,
      interest: o.interest,
      tags: o.tags,
      theme_ids: o.themePaths.flatMap((p) => themeIds.get(p) ?? []),
      notes: o.notes,
    })
    const row = await createOrganisation(tx, input, actor)
    existing.live.set(lower(o.name), row.id)
    created++
  })
  return { ids: existing.live, created }
}

async function seedContacts(db: Executor, list: PlanContact[], orgIds: Map<string, string>, themeIds: Map<string, string>, actor: Actor, done?: (fraction: number) => void) {
  const rows = await db.selectFrom('contacts').select(['id', 'email', 'deleted_at']).where('email', 'is not', null).execute()
  const existing = known(rows.map((r) => ({ id: r.id, key: lower(r.email!), deleted_at: r.deleted_at })))
  let created = 0
  // Batches of 25: a page asked for meanwhile waits for one batch (100 took seconds under load).
  await inBatches(db, list, 25, async (tx, c) => {
    if (has(existing, c.email)) return
    const input = contactSchema.parse({
      first_name: c.first_name,
      last_name: c.last_name,
      email: c.email,
      phone: c.phone,
      title: c.title,
      categories: c.categories,
      influence: c.influence,
      interest: c.interest,
      county: c.county,
      language: c.language,
      affiliations: c.affiliations.flatMap((a) => {
        const id = orgIds.get(lower(a.organisationName))
        return id ? [{ organisation_id: id, role: a.role, start_date: a.start_date, end_date: a.end_date, primary: a.primary }] : []
      }),
      tags: c.tags,
      theme_ids: c.themePaths.flatMap((p) => themeIds.get(p) ?? []),
    })
    const row = await createContact(tx, input, actor)
    existing.live.set(c.email, row.id)
    created++
  }, done)
  return { ids: existing.live, created }
}

async function seedInteractions(
  db: Executor, list: PlanInteraction[], contactIds: Map<string, string>, orgIds: Map<string, string>, opts: SeedOptions, done?: (fraction: number) => void,
) {
  const rows = await db.selectFrom('interactions').select(['id', 'occurred_on', 'summary', 'deleted_at']).execute()
  const existing = known(rows.map((r) => ({ id: r.id, key: `${r.occurred_on}|${r.summary}`, deleted_at: r.deleted_at })))
  let created = 0
  await inBatches(db, list, 50, async (tx, i) => {
    if (has(existing, `${i.occurred_on}|${i.summary}`)) return
    const contact_ids = i.contactEmails.flatMap((e) => contactIds.get(e) ?? [])
    const organisation_ids = i.organisationNames.flatMap((n) => orgIds.get(lower(n)) ?? [])
    if (!contact_ids.length && !organisation_ids.length) return
    const input = interactionSchema.parse({
      kind: i.kind,
      occurred_on: i.occurred_on,
      summary: i.summary,
      contact_ids,
      organisation_ids,
      follow_up_on: i.follow_up_on,
      follow_up_assignee_id: i.follow_up_on ? (opts.assigneeId ?? null) : null,
    })
    await createInteraction(tx, input, opts.actor)
    created++
  }, done)
  return created
}

/**
 * Loads the demo network through the services (validated, audited). Idempotent: a second run
 * finds every record by its natural key and creates nothing.
 */
export async function seedDemo(db: Executor, opts: SeedOptions): Promise<SeedResult> {
  const started = performance.now()
  const t = translator('sv')
  const log = opts.log ?? (() => {})
  const step = (name: DemoStep, percent = STEP_START[name]) => opts.progress?.(name, percent)
  /** Part of the way through a step: between its start and the next step's. */
  const within = (name: DemoStep, next: DemoStep) => (fraction: number) =>
    step(name, Math.round(STEP_START[name] + (STEP_START[next] - STEP_START[name]) * fraction))
  const plan = demoPlan()
  step('themes')
  const themes = await seedThemes(db, plan, opts.actor)
  log(`themes: ${themes.created} created`)
  step('organisations')
  const orgs = await seedOrganisations(db, plan.organisations, themes.byPath, opts.actor)
  log(`organisations: ${orgs.created} created`)
  step('contacts')
  const contacts = await seedContacts(db, plan.contacts, orgs.ids, themes.byPath, opts.actor, within('contacts', 'interactions'))
  log(`contacts: ${contacts.created} created`)
  step('interactions')
  const interactions = await seedInteractions(db, plan.interactions, contacts.ids, orgs.ids, opts, within('interactions', 'projects'))
  log(`interactions: ${interactions} created`)
  step('projects')
  const dissemination = await seedProjects(db, themes.byPath, orgs.ids, opts.actor)
  log(`projects: ${dissemination.projects} created, products: ${dissemination.products} created`)
  const current = await seedCurrentPeriod(db, opts.actor, t, undefined, (s) => {
    log(`current period: ${s}`)
    const [name, count] = s.split(' ') as [DemoStep, string | undefined]
    if (!count) return step(name)
    // "activities 16/64": part of the way to the plans.
    const [done, total] = count.split('/').map(Number) as [number, number]
    within('activities', 'plans')(done / total)
  })
  log(`current period: ${current.bodies} bodies, ${current.alliances} alliances, ${current.activities} activities, ${current.plans} plans, ${current.newsletters} newsletter issues created`)
  // The planner's statistics for the tables just filled (src/db/statistics.ts).
  step('statistics')
  await refreshStatistics(db)
  return {
    created: { themes: themes.created, organisations: orgs.created, contacts: contacts.created, interactions, ...dissemination, ...current },
    ms: Math.round(performance.now() - started),
  }
}
