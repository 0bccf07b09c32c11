import { describe, expect, it } from 'vitest'
import { createRecord, restoreRecord, updateRecord, type Actor, type Executor, type PatchOf, type RowOf } from '../../src/db/write.ts'

/**
 * The audited write path is typed by table: these lines are checked by `npx tsc --noEmit` (CI
 * runs it), and each @ts-expect-error fails the check the day a misspelt column compiles again.
 * The function is never called: what is tested here is the compiler, not the database.
 */
async function neverRun(db: Executor, actor: Actor, id: string) {
  // @ts-expect-error 'nmae' is no column of organisations
  await updateRecord(db, 'organisations', id, 1, { nmae: 'Växjö kommun' }, actor)
  // @ts-expect-error a column takes its own type: influence is a number
  await updateRecord(db, 'organisations', id, 1, { influence: 'high' }, actor)
  // @ts-expect-error a theme cannot be created without its name
  await createRecord(db, 'themes', { description: 'Mottagande' }, actor)
  // @ts-expect-error a contact has no organisation number
  await createRecord(db, 'contacts', { first_name: 'Anna', sort_name: 'anna', search_text: 'anna', org_number: '212000-0142' }, actor)

  // What is right compiles, and what comes back is the table's row.
  const org: RowOf<'organisations'> = await updateRecord(db, 'organisations', id, 1, { name: 'Växjö kommun' }, actor)
  const theme: RowOf<'themes'> = await restoreRecord(db, 'themes', id, actor)
  const patch: PatchOf<'users'> = { name: 'Kim Testsson', active: false }
  return [org.name, theme.name, patch]
}

describe('the audited write path (src/db/write.ts)', () => {
  it('is typed by table, so a misspelt column fails tsc (the @ts-expect-error lines above)', () => {
    expect(typeof neverRun).toBe('function')
  })
})
