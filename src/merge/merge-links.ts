import { sql } from 'kysely'
import { updateRecord, type Actor, type Executor } from '../db/write.ts'
import { MERGE_LINKS, type MergeEntity } from './links.ts'

/**
 * Points every link of `loserId` at `survivorId` (see links.ts), dropping a moved link the
 * survivor already has. Returns how many rows moved per table.column, for the merge's audit row.
 */
export async function moveLinks(tx: Executor, entity: MergeEntity, survivorId: string, loserId: string, actor: Actor): Promise<Record<string, number>> {
  const moved: Record<string, number> = {}
  for (const link of MERGE_LINKS[entity]) {
    const table = sql.table(link.table)
    const col = (alias: string, name = link.column) => sql.ref(`${alias}.${name}`)
    let count: number
    if (link.versioned) {
      const rows = await (tx as Executor)
        .selectFrom(link.versioned)
        .select(['id', 'version'])
        .where(link.column as 'id', '=', loserId)
        .where('deleted_at', 'is', null)
        .where('id', '!=', survivorId)
        .execute()
      for (const r of rows) await updateRecord(tx, link.versioned, r.id, r.version, { [link.column]: survivorId }, actor)
      count = rows.length
    } else {
      if (link.sameLinkWhen?.length) {
        const same = sql.join(link.sameLinkWhen.map((c) => sql`${col('s', c)} is not distinct from ${col('l', c)}`), sql` and `)
        await sql`delete from ${table} as l where ${col('l')} = ${loserId}
          and exists (select 1 from ${table} as s where ${col('s')} = ${survivorId} and ${same})`.execute(tx)
      }
      if (link.onlyOne) {
        await sql`update ${table} as l set ${sql.id(link.onlyOne)} = false where ${col('l')} = ${loserId}
          and exists (select 1 from ${table} as s where ${col('s')} = ${survivorId} and ${col('s', link.onlyOne)})`.execute(tx)
      }
      const result = await sql`update ${table} set ${sql.id(link.column)} = ${survivorId} where ${sql.id(link.column)} = ${loserId} returning 1`.execute(tx)
      count = result.rows.length
    }
    if (count) moved[`${link.table}.${link.column}`] = count
  }
  return moved
}
