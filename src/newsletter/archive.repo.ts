import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'

/** Sent issues to at least one public list: the public archive, newest first. */
function archived(db: Executor) {
  return db.selectFrom('newsletter_issues as i')
    .where('i.status', '=', 'sent')
    .where('i.deleted_at', 'is', null)
    .where(({ exists, selectFrom }) => exists(
      selectFrom('newsletter_lists as l').select(sql`1`.as('one'))
        .where('l.public', '=', true).where('l.deleted_at', 'is', null)
        .where(sql<boolean>`l.id = any(i.list_ids)`),
    ))
}

export async function archive(db: Executor, limit = 100) {
  return archived(db).select(['i.id', 'i.subject', 'i.sent_at']).orderBy('i.sent_at', 'desc').orderBy('i.id').limit(limit).execute()
}

export async function archivedIssue(db: Executor, id: string) {
  return archived(db).select(['i.id', 'i.subject', 'i.body', 'i.body_html', 'i.sent_at']).where('i.id', '=', id).executeTakeFirst()
}
