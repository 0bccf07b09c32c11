import type { Theme } from '../db/schema.ts'
import { createRecord, inTransaction, restoreRecord, softDeleteRecord, updateRecord, type Actor, type Executor } from '../db/write.ts'
import { foldForSearch } from '../register/search-text.ts'
import { ConflictError, ValidationError } from '../web/errors.ts'
import { swedishSortKey } from '../web/format.ts'
import { findSibling, findTheme, subThemes, themeAncestors } from './themes.repo.ts'
import type { ThemeInput } from './themes.schema.ts'

export function toApiTheme(th: Theme) {
  return {
    id: th.id,
    name: th.name,
    parent_id: th.parent_id,
    description: th.description,
    version: th.version,
    created_at: th.created_at.toISOString(),
    updated_at: th.updated_at.toISOString(),
  }
}

export const THEME_CSV_FIELDS = ['id', 'name', 'parent_id', 'description', 'version', 'created_at', 'updated_at'] as const

/** Refused because live sub-themes would be left without their parent. */
export class ThemeHasChildrenError extends ConflictError {
  constructor() {
    super(undefined, 'theme has sub-themes')
  }
}

function derived(values: Partial<ThemeInput>, current?: Theme) {
  const name = values.name ?? current?.name ?? ''
  const description = values.description !== undefined ? values.description : (current?.description ?? null)
  return { sort_name: swedishSortKey(name), search_text: foldForSearch(name, description) }
}

/** A parent that exists and is no descendant of the theme, and a name free among its siblings (messages by catalogue key: the edge translates). */
async function checkPlacement(db: Executor, values: Partial<ThemeInput>, current?: Theme): Promise<void> {
  const fields: Record<string, string> = {}
  const parentId = values.parent_id !== undefined ? values.parent_id : (current?.parent_id ?? null)
  if (values.parent_id) {
    if (current && values.parent_id === current.id) fields.parent_id = 'theme.parent_cycle'
    else if (!(await findTheme(db, values.parent_id))) fields.parent_id = 'validation.unknown_reference'
    else if (current && (await themeAncestors(db, values.parent_id)).some((a) => a.id === current.id)) fields.parent_id = 'theme.parent_cycle'
  }
  const name = values.name ?? current?.name
  if (name && !fields.parent_id && (values.name !== undefined || values.parent_id !== undefined)) {
    const sibling = await findSibling(db, parentId, name)
    if (sibling && sibling.id !== current?.id) fields.name = 'theme.name_taken'
  }
  if (Object.keys(fields).length) throw new ValidationError(fields)
}

/** Two people saving the same name at once: the unique index decides, and says so on `name`. */
async function nameGuard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ValidationError({ name: 'theme.name_taken' })
    throw err
  }
}

export async function createTheme(db: Executor, input: ThemeInput, actor: Actor): Promise<Theme> {
  return nameGuard(() =>
    inTransaction(db, async (tx) => {
      await checkPlacement(tx, input)
      return createRecord(tx, 'themes', { ...input, ...derived(input) }, actor)
    }),
  )
}

export async function updateTheme(db: Executor, id: string, version: number, patch: Partial<ThemeInput>, actor: Actor): Promise<Theme> {
  return nameGuard(() =>
    inTransaction(db, async (tx) => {
      const current = await findTheme(tx, id)
      if (current && current.version === version) await checkPlacement(tx, patch, current)
      return updateRecord(tx, 'themes', id, version, { ...patch, ...derived(patch, current) }, actor)
    }),
  )
}

export async function deleteTheme(db: Executor, id: string, actor: Actor, version?: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    if ((await subThemes(tx, id)).length > 0) throw new ThemeHasChildrenError()
    await softDeleteRecord(tx, 'themes', id, actor, version)
  })
}

export async function restoreTheme(db: Executor, id: string, actor: Actor): Promise<Theme> {
  return nameGuard(() =>
    inTransaction(db, async (tx) => {
      const th = await findTheme(tx, id, { withDeleted: true })
      if (th?.deleted_at) {
        const sibling = await findSibling(tx, th.parent_id, th.name)
        if (sibling) throw new ValidationError({ name: 'theme.name_taken' })
      }
      return restoreRecord(tx, 'themes', id, actor)
    }),
  )
}
