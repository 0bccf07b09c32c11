import { sql } from 'kysely'
import type { Product, Project } from '../db/schema.ts'
import { keysetPage, type Page } from '../db/pagination.ts'
import type { Executor } from '../db/write.ts'
import { textMatch } from '../register/search-filter.ts'
import type { ThemeNode } from '../themes/themes.repo.ts'
import type { IdeaQuery } from './ideas.schema.ts'

/**
 * What the public may see of a product: nothing else is ever selected here. No contact, no
 * notes, no evaluation, no audit, no internal flags — a new column on products or projects stays
 * private until it is named in this list.
 */
export interface Idea {
  id: string
  title: string
  kind: Product['kind']
  summary: string | null
  url: string | null
  good_practice_status: Product['good_practice_status']
  theme_ids: string[]
  sort_name: string
  project_name: string | null
  programme: Project['programme'] | null
  project_start: string | null
  project_end: string | null
  lead_organisation_name: string | null
}

/** Published and live: the only products the idea bank ever shows. */
function published(db: Executor) {
  return db
    .selectFrom('products as p')
    // A deleted project or organisation is not named in public.
    .leftJoin('projects as pr', (j) => j.onRef('pr.id', '=', 'p.project_id').on('pr.deleted_at', 'is', null))
    .leftJoin('organisations as o', (j) => j.onRef('o.id', '=', 'pr.lead_organisation_id').on('o.deleted_at', 'is', null))
    .select([
      'p.id', 'p.title', 'p.kind', 'p.summary', 'p.url', 'p.good_practice_status', 'p.theme_ids', 'p.sort_name',
      'pr.name as project_name', 'pr.programme', 'pr.start_date as project_start', 'pr.end_date as project_end',
      'o.name as lead_organisation_name',
    ])
    .where('p.public', '=', true)
    .where('p.deleted_at', 'is', null)
}

/** A theme and every theme below it: browsing "Arbetsmarknadsintegration" finds "Validering" too. */
export function withDescendants(tree: readonly ThemeNode[], ids: readonly string[]): string[] {
  const out = new Set(ids)
  let grew = true
  while (grew) {
    grew = false
    for (const th of tree) {
      if (th.parent_id && out.has(th.parent_id) && !out.has(th.id)) {
        out.add(th.id)
        grew = true
      }
    }
  }
  return [...out]
}

export interface IdeaPage extends Page<Idea> {
  total: number
}

/** One page of published products in Swedish title order, by keyset on (sort_name, id); with the total count. */
export async function pageIdeas(db: Executor, f: IdeaQuery, tree: readonly ThemeNode[]): Promise<IdeaPage> {
  const themeIds = f.theme_id.length ? withDescendants(tree, f.theme_id) : []
  const filter = <Q extends ReturnType<typeof published>>(q: Q): Q => {
    let out = q
    if (f.q) out = out.where(textMatch('p', f.q, { vector: false })) as Q
    if (f.kind.length) out = out.where('p.kind', 'in', f.kind) as Q
    if (themeIds.length) out = out.where(sql<boolean>`p.theme_ids && ${sql.val(themeIds)}::uuid[]`) as Q
    if (f.validated) out = out.where('p.good_practice_status', '=', 'validated') as Q
    return out
  }
  const page = await keysetPage(filter(published(db)), [
    { expr: sql`p.sort_name`, of: (r) => r.sort_name },
    { expr: sql`p.id`, type: 'uuid', of: (r) => r.id },
  ], f)
  const countRow = await filter(published(db)).clearSelect().select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return { ...page, total: Number(countRow.n) }
}

/** One published product, or undefined for anything else (private, deleted, unknown). */
export async function findIdea(db: Executor, id: string): Promise<Idea | undefined> {
  return published(db).where('p.id', '=', id).executeTakeFirst()
}

/**
 * The themes worth offering as a filter: those with a published product on them or below them,
 * with how many, in tree order.
 */
export async function ideaThemes(db: Executor, tree: readonly ThemeNode[]): Promise<(ThemeNode & { count: number })[]> {
  const rows = await db.selectFrom('products').select('theme_ids').where('public', '=', true).where('deleted_at', 'is', null).execute()
  return tree
    .map((th) => {
      const ids = new Set(withDescendants(tree, [th.id]))
      return { ...th, count: rows.filter((r) => r.theme_ids.some((id) => ids.has(id))).length }
    })
    .filter((th) => th.count > 0)
}
