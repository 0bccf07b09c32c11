import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { formatPhone } from '../register/phone.ts'
import { isMessageKey, type Translate } from '../web/i18n.ts'
import { MERGE_LINKS, type MergeEntity } from './links.ts'
import { defaultSides, MERGE_FIELDS } from './merge-fields.ts'
import { themeNames } from '../register/vocabulary.ts'

type Row = Record<string, unknown> & { id: string; updated_at: Date; created_at: Date; version: number }

export function recordLabel(entity: MergeEntity, r: Record<string, unknown>): string {
  return entity === 'organisations' ? String(r.name ?? '') : [r.first_name, r.last_name].filter(Boolean).join(' ')
}

export function fieldLabel(t: Translate, field: string): string {
  for (const key of [`import.f.${field}`, `merge.f.${field}`]) if (isMessageKey(key)) return t(key)
  return field
}

/** How many rows of each link table point at the record (what a merge would move). */
async function linkCounts(db: Executor, entity: MergeEntity, id: string, t: Translate): Promise<string[]> {
  const out: string[] = []
  for (const link of MERGE_LINKS[entity]) {
    const live = link.versioned ? sql`and deleted_at is null` : sql``
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(link.table)} where ${sql.ref(link.column)} = ${id} ${live}`.execute(db)
    const n = Number(rows[0]?.n ?? 0)
    const key = `merge.link.${link.table}.${link.column}`
    if (n) out.push(`${n} ${isMessageKey(key) ? t(key) : link.table}`)
  }
  return out
}

/** Everything the side-by-side page shows: each field's two values, ready to print, and the default choice. */
export async function compareData(db: Executor, entity: MergeEntity, a: Row, b: Row, t: Translate, chosen: Record<string, string> = {}) {
  const themeIds = [...new Set([...(a.theme_ids as string[]), ...(b.theme_ids as string[])])]
  const parentIds = entity === 'organisations' ? [a.parent_id, b.parent_id].filter((x): x is string => typeof x === 'string') : []
  const [themes, parents] = await Promise.all([
    themeNames(db, themeIds),
    parentIds.length ? db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', parentIds).execute() : [],
  ])
  const parentName = new Map(parents.map((p) => [p.id, p.name]))
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return t('merge.empty')
    if (Array.isArray(v)) return v.map((x) => show(field, x)).join(', ')
    const key = field === 'kind' ? `kind.${v}` : field === 'categories' ? `category.${v}` : ''
    if (key && isMessageKey(key)) return t(key)
    if (field === 'parent_id') return parentName.get(String(v)) ?? String(v)
    if (field === 'theme_ids') return themes.get(String(v)) ?? String(v)
    if (field === 'phone') return formatPhone(String(v))
    return String(v)
  }
  const defaults = defaultSides(entity, a, b)
  const fields = MERGE_FIELDS[entity].choose.map((name) => ({
    name,
    label: fieldLabel(t, name),
    a: show(name, a[name]),
    b: show(name, b[name]),
    same: JSON.stringify(a[name] ?? null) === JSON.stringify(b[name] ?? null),
    side: chosen[name] === 'a' || chosen[name] === 'b' ? chosen[name] : defaults[name] === 'other' ? 'b' : 'a',
  }))
  const lists = MERGE_FIELDS[entity].join.map((name) => ({
    name,
    label: fieldLabel(t, name),
    value: show(name, [...new Set([...(a[name] as string[]), ...(b[name] as string[])])]),
  }))
  return {
    entity, a, b, fields, lists,
    labels: { a: recordLabel(entity, a), b: recordLabel(entity, b) },
    links: { a: await linkCounts(db, entity, a.id, t), b: await linkCounts(db, entity, b.id, t) },
  }
}
