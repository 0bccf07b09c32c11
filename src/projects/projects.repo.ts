import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database, Project } from '../db/schema.ts'
import { keysetPage, nameThenId, type Page } from '../db/pagination.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'
import type { ProjectQuery } from './projects.schema.ts'

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

async function withParts(db: Executor, rows: Project[]): Promise<ProjectRecord[]> {
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

type ProjectSelect = SelectQueryBuilder<Database, 'projects', Project>

function filtered(db: Executor, f: ProjectQuery): ProjectSelect {
  let q = db.selectFrom('projects').selectAll() as ProjectSelect
  q = f.deleted ? q.where('deleted_at', 'is not', null) : q.where('deleted_at', 'is', null)
  if (f.q) q = q.where(textMatch('projects', f.q, { vector: false }))
  if (f.programme.length) q = q.where('programme', 'in', f.programme)
  if (f.status.length) q = q.where('status', 'in', f.status)
  if (f.theme_id.length) q = q.where(sql<boolean>`theme_ids && ${sql.val(f.theme_id)}::uuid[]`)
  if (f.organisation_id.length) {
    const ids = f.organisation_id
    q = q.where((eb) =>
      eb.or([
        eb('lead_organisation_id', 'in', ids),
        eb.exists(
          eb.selectFrom('project_partners')
            .select(sql`1`.as('one'))
            .whereRef('project_partners.project_id', '=', 'projects.id')
            .where('project_partners.organisation_id', 'in', ids),
        ),
      ]),
    )
  }
  return q
}

export interface ProjectPage extends Page<ProjectRecord> {
  total: number
}

/** One page in Swedish name order, by keyset on (sort_name, id); with the total count. */
export async function pageProjects(db: Executor, f: ProjectQuery): Promise<ProjectPage> {
  const page = await keysetPage(filtered(db, f), nameThenId(), f)
  const countRow = await filtered(db, { ...f, cursor: undefined })
    .clearSelect()
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return { data: await withParts(db, page.data), next_cursor: page.next_cursor, total: Number(countRow.n) }
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
