import { sql } from 'kysely'
import type { Project } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'

export interface PartnerView {
  id: string
  project_id: string
  organisation_id: string
  organisation_name: string
  role: string | null
}

/** A project with its partners and its lead's name: one record to the API, the forms and the audit log. */
export type ProjectRecord = Project & { partners: PartnerView[]; lead_organisation_name: string | null }

/** Partners of each project, in Swedish name order. */
export async function partnersOf(db: Executor, projectIds: readonly string[]): Promise<Map<string, PartnerView[]>> {
  const out = new Map<string, PartnerView[]>(projectIds.map((id) => [id, []]))
  if (projectIds.length === 0) return out
  const rows = await db
    .selectFrom('project_partners as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.project_id', 'p.organisation_id', 'o.name as organisation_name', 'p.role'])
    .where('p.project_id', 'in', [...projectIds])
    .orderBy('o.sort_name')
    .orderBy('p.id')
    .execute()
  for (const r of rows) out.get(r.project_id)?.push(r)
  return out
}

export async function withParts(db: Executor, rows: Project[]): Promise<ProjectRecord[]> {
  const leadIds = [...new Set(rows.flatMap((r) => (r.lead_organisation_id ? [r.lead_organisation_id] : [])))]
  const [partners, leads] = await Promise.all([
    partnersOf(db, rows.map((r) => r.id)),
    leadIds.length
      ? db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', leadIds).execute()
      : Promise.resolve([]),
  ])
  const leadName = new Map(leads.map((o) => [o.id, o.name]))
  return rows.map((r) => ({
    ...r,
    partners: partners.get(r.id) ?? [],
    lead_organisation_name: r.lead_organisation_id ? (leadName.get(r.lead_organisation_id) ?? null) : null,
  }))
}

export async function findProject(db: Executor, id: string, opts: { withDeleted?: boolean; forUpdate?: boolean } = {}): Promise<ProjectRecord | undefined> {
  let q = db.selectFrom('projects').selectAll().where('id', '=', id)
  if (!opts.withDeleted) q = q.where('deleted_at', 'is', null)
  if (opts.forUpdate) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  return row && (await withParts(db, [row]))[0]
}


/** A project seen from an organisation's page: what part the organisation has in it. */
export interface OrganisationProject {
  id: string
  name: string
  programme: Project['programme']
  status: Project['status']
  start_date: string | null
  end_date: string | null
  lead: boolean
  role: string | null
}

/** The live projects an organisation leads or is a partner in, the latest first. */
export async function projectsOfOrganisation(db: Executor, organisationId: string): Promise<OrganisationProject[]> {
  const rows = await db
    .selectFrom('projects as pr')
    .leftJoin('project_partners as pp', (j) => j.onRef('pp.project_id', '=', 'pr.id').on('pp.organisation_id', '=', organisationId))
    .select([
      'pr.id', 'pr.name', 'pr.programme', 'pr.status', 'pr.start_date', 'pr.end_date',
      sql<boolean>`pr.lead_organisation_id is not distinct from ${organisationId}::uuid`.as('lead'),
      'pp.role',
    ])
    .where('pr.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('pr.lead_organisation_id', '=', organisationId), eb('pp.id', 'is not', null)]))
    .orderBy(sql`pr.start_date desc nulls last`)
    .orderBy('pr.sort_name')
    .orderBy('pr.id')
    .limit(200)
    .execute()
  return rows
}

/** Live projects for a product's project picker, in Swedish name order. */
export async function projectOptions(db: Executor, q: string, limit = 30): Promise<Pick<Project, 'id' | 'name'>[]> {
  let query = db.selectFrom('projects').select(['id', 'name']).where('deleted_at', 'is', null)
  if (q.trim()) query = query.where(textMatch('projects', q, { vector: false }))
  return query.orderBy('sort_name').orderBy('id').limit(limit).execute()
}

export async function projectNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('projects').select(['id', 'name']).where('id', 'in', [...ids]).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}
