import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/db/connect.ts'
import { COUNTIES } from '../../src/register/counties.ts'
import { seedDemo } from '../../src/seed/demo-seed.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'

let t: TestApp
let adminId: string

const SLOW = { timeout: 240_000 }

async function counts(db: Db) {
  const n = async (table: 'organisations' | 'contacts' | 'themes' | 'interactions' | 'affiliations' | 'audit_log' | 'interaction_links') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  return {
    organisations: await n('organisations'),
    contacts: await n('contacts'),
    themes: await n('themes'),
    interactions: await n('interactions'),
    affiliations: await n('affiliations'),
    links: await n('interaction_links'),
    audit: await n('audit_log'),
  }
}

async function people(db: Db) {
  return db.selectFrom('contacts').select(['first_name', 'last_name', 'email', 'phone', 'title']).orderBy('email').execute()
}

beforeAll(async () => {
  t = await testApp()
  adminId = (await t.user('admin')).id
  await seedDemo(t.db, { actor: { userId: adminId }, assigneeId: adminId })
}, 240_000)
afterAll(() => t.close())

describe('the demo network', () => {
  it('holds a few hundred organisations, among them all 21 county boards each in its own county', async () => {
    const c = await counts(t.db)
    expect(c.organisations).toBeGreaterThanOrEqual(200)
    const boards = await t.db.selectFrom('organisations').select(['name', 'county']).where('kind', '=', 'county_board').orderBy('county').execute()
    expect(boards.map((b) => b.county)).toEqual([...COUNTIES].sort())
    for (const b of boards) expect(b.name).toBe(`Länsstyrelsen i ${b.county}`)
    const mv = await t.db.selectFrom('organisations').selectAll().where('name', '=', 'Migrationsverket').executeTakeFirstOrThrow()
    expect(mv.org_number).toBe('202100-2163')
    const unit = await t.db.selectFrom('organisations').select('parent_id').where('name', '=', 'Migrationsverket, mottagningsenheten i Malmö').executeTakeFirstOrThrow()
    expect(unit.parent_id).toBe(mv.id)
  })

  it('holds about a thousand contacts, each working somewhere, some who changed jobs', async () => {
    const c = await counts(t.db)
    expect(c.contacts).toBeGreaterThanOrEqual(900)
    expect(c.contacts).toBeLessThanOrEqual(1100)
    const withoutJob = await t.db.selectFrom('contacts').select('id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('affiliations').select('id').whereRef('affiliations.contact_id', '=', 'contacts.id'))))
      .execute()
    expect(withoutJob).toEqual([])
    const former = await t.db.selectFrom('affiliations').select((eb) => eb.fn.countAll().as('n')).where('end_date', 'is not', null).executeTakeFirstOrThrow()
    expect(Number(former.n)).toBeGreaterThan(100)
    // Integrationsverket closed in 2007: everyone there has moved on.
    const iv = await t.db.selectFrom('affiliations').innerJoin('organisations', 'organisations.id', 'affiliations.organisation_id')
      .select(['affiliations.end_date']).where('organisations.name', '=', 'Integrationsverket').execute()
    expect(iv.length).toBeGreaterThan(0)
    expect(new Set(iv.map((a) => a.end_date))).toEqual(new Set(['2007-06-30']))
  })

  it('gives only fictional e-mail addresses and phone numbers', async () => {
    const all = await people(t.db)
    for (const p of all) {
      expect(p.email).toMatch(/^[a-z0-9.-]+@example\.(se|org)$/)
      if (p.phone) expect(p.phone).toMatch(/^\+467017406\d\d$/)
    }
    expect(all.some((p) => `${p.first_name} ${p.last_name}` === 'Göran Lindqvist')).toBe(false)
  })

  it('has a tree of sub-themes from the seeds, used by organisations and contacts', async () => {
    const themes = await t.db.selectFrom('themes').select(['id', 'name', 'parent_id']).execute()
    const byName = new Map(themes.map((th) => [th.name, th]))
    expect(byName.get('Ensamkommande barn')?.parent_id).toBe(byName.get('Asyl och mottagning')?.id)
    expect(byName.get('Validering')?.parent_id).toBe(byName.get('Arbetsmarknadsintegration')?.id)
    expect(byName.get('SFI')?.parent_id).toBe(byName.get('Utbildning')?.id)
    const tagged = await t.db.selectFrom('contacts').select('id').where(sql<boolean>`cardinality(theme_ids) > 0`).execute()
    expect(tagged.length).toBeGreaterThan(100)
  })

  it('logs meetings, calls and notes, some with open follow-ups for the admin', async () => {
    const kinds = await t.db.selectFrom('interactions').select('kind').groupBy('kind').execute()
    expect(kinds.map((k) => k.kind).sort()).toEqual(['call', 'email', 'meeting', 'note'])
    const open = await t.db.selectFrom('interactions').select('id')
      .where('follow_up_assignee_id', '=', adminId).where('follow_up_done_at', 'is', null).where('follow_up_on', 'is not', null).execute()
    expect(open.length).toBeGreaterThanOrEqual(10)
  })

  it('holds the projects of the seeds with their leads and partners, and products of which some are public, validated good practice', async () => {
    const projects = await t.db.selectFrom('projects').select(['id', 'name', 'programme', 'lead_organisation_id']).execute()
    expect(projects.length).toBeGreaterThanOrEqual(10)
    const rekomp = projects.find((p) => p.name === 'ReKOMP – hälsokommunikatörer')!
    const up = await t.db.selectFrom('organisations').select(['id', 'kind']).where('name', '=', 'Utvecklingspartnerskapet ReKOMP').executeTakeFirstOrThrow()
    expect(rekomp).toMatchObject({ programme: 'equal', lead_organisation_id: up.id })
    expect(up.kind).toBe('partnership')
    const partners = await t.db.selectFrom('project_partners').select('project_id').execute()
    expect(new Set(partners.map((p) => p.project_id)).size).toBe(projects.length)
    const products = await t.db.selectFrom('products').select(['title', 'kind', 'public', 'summary', 'good_practice_status', 'project_id']).execute()
    expect(products.length).toBeGreaterThanOrEqual(25)
    expect(products.filter((p) => p.public && p.good_practice_status === 'validated').length).toBeGreaterThanOrEqual(8)
    expect(products.some((p) => !p.public)).toBe(true)
    for (const p of products) if (p.public) expect(p.summary, p.title).toBeTruthy()
    expect(products.find((p) => p.title === 'Hälsokommunikatörer')).toMatchObject({ kind: 'method', public: true, project_id: rekomp.id })
    expect(products.find((p) => p.title === 'Samhällsorientering på modersmål')).toMatchObject({ kind: 'method', good_practice_status: 'validated' })
    expect(new Set(products.map((p) => p.kind))).toEqual(new Set(['report', 'manual', 'film', 'method', 'training', 'conference_format', 'website']))
  })

  it('writes through the audited path, in the name of the admin who loaded it', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['entity_type', 'user_id']).where('action', '=', 'create')
      .where('entity_type', 'in', ['organisation', 'contact', 'theme', 'interaction']).execute()
    const c = await counts(t.db)
    expect(rows.length).toBe(c.organisations + c.contacts + c.themes + c.interactions)
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([adminId]))
  })

  it('creates and changes nothing when run a second time', SLOW, async () => {
    const before = await counts(t.db)
    const sample = await t.db.selectFrom('contacts').select(['id', 'version', 'updated_at']).orderBy('email').limit(1).executeTakeFirstOrThrow()
    const org = await t.db.selectFrom('organisations').select(['id', 'version']).where('name', '=', 'Migrationsverket').executeTakeFirstOrThrow()
    const result = await seedDemo(t.db, { actor: { userId: adminId }, assigneeId: adminId })
    expect(result.created).toEqual({ themes: 0, organisations: 0, contacts: 0, interactions: 0, projects: 0, products: 0, bodies: 0, alliances: 0, activities: 0, plans: 0, newsletters: 0 })
    expect(await counts(t.db)).toEqual(before)
    const again = await t.db.selectFrom('contacts').select(['id', 'version', 'updated_at']).where('id', '=', sample.id).executeTakeFirstOrThrow()
    expect(again).toEqual(sample)
    expect((await t.db.selectFrom('organisations').select('version').where('id', '=', org.id).executeTakeFirstOrThrow()).version).toBe(org.version)
  })

  it('does not bring back a demo record that a user deleted', SLOW, async () => {
    const org = await t.db.selectFrom('organisations').select('id').where('name', '=', 'Tjänstemännens centralorganisation').executeTakeFirstOrThrow()
    await t.db.updateTable('organisations').set({ deleted_at: new Date() }).where('id', '=', org.id).execute()
    const result = await seedDemo(t.db, { actor: { userId: null } })
    expect(result.created.organisations).toBe(0)
    const live = await t.db.selectFrom('organisations').select('id').where('name', '=', 'Tjänstemännens centralorganisation').where('deleted_at', 'is', null).execute()
    expect(live).toEqual([])
  })

  it('comes out the same in two fresh databases', SLOW, async () => {
    const other = await testDb()
    try {
      await seedDemo(other.db, { actor: { userId: null } })
      const names = (db: Db) => db.selectFrom('organisations').select(['name', 'kind', 'county', 'influence', 'interest']).orderBy('name').execute()
      expect(await names(other.db)).toEqual(await names(t.db))
      expect(await people(other.db)).toEqual(await people(t.db))
      const summaries = (db: Db) => db.selectFrom('interactions').select(['occurred_on', 'summary', 'follow_up_on']).orderBy('occurred_on').orderBy('summary').execute()
      expect(await summaries(other.db)).toEqual(await summaries(t.db))
      const products = (db: Db) => db.selectFrom('products').select(['title', 'kind', 'public', 'good_practice_status', 'summary']).orderBy('title').execute()
      expect(await products(other.db)).toEqual(await products(t.db))
    } finally {
      await other.close()
    }
  })
})
