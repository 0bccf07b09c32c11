import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { Interaction } from '../db/schema.ts'
import { isoDate } from '../register/fields.ts'
import { likePattern, manyOf, searchQuery } from '../register/list-query.ts'
import { formatDate } from '../web/format.ts'
import { defineList, filter, liveOrDeleted } from '../web/list.ts'
import { linkedTo, withLinkIds } from './interactions.repo.ts'
import { FOLLOW_UP_FILTERS, INTERACTION_KINDS } from './interactions.schema.ts'
import { INTERACTION_CSV_FIELDS, toApiInteraction } from './interactions.service.ts'
import { visibleContactIds } from '../privacy/visibility.ts'

// Today in Sweden decides what is overdue.
function followUp(state: (typeof FOLLOW_UP_FILTERS)[number]) {
  const open = sql<SqlBool>`(follow_up_on is not null and follow_up_done_at is null)`
  if (state === 'open') return open
  if (state === 'overdue') return sql<SqlBool>`(${open} and follow_up_on < ${formatDate(new Date())}::date)`
  return sql<SqlBool>`follow_up_done_at is not null`
}

/** The list of interactions — page, API and CSV export: its filters, order (newest first) and columns. */
export const interactionList = defineList({
  path: '/interactions',
  filters: {
    q: filter(searchQuery, (v) => sql<SqlBool>`summary ilike ${likePattern(v)}`),
    // A person the reader may not see was in no conversation for them.
    contact_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`exists (select 1 from interaction_links l where l.interaction_id = interactions.id and l.contact_id = any(${visibleContactIds(v)}))`),
    organisation_id: filter(manyOf(z.uuid()), (v) => linkedTo('organisation_id', v)),
    kind: filter(manyOf(z.enum(INTERACTION_KINDS)), (v) => sql<SqlBool>`kind = any(${sql.val(v)}::text[])`),
    assignee_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`follow_up_assignee_id = any(${sql.val(v)}::uuid[])`),
    from: filter(isoDate.optional(), (v) => sql<SqlBool>`occurred_on >= ${v}::date`),
    to: filter(isoDate.optional(), (v) => sql<SqlBool>`occurred_on <= ${v}::date`),
    follow_up: filter(z.enum(FOLLOW_UP_FILTERS).optional(), followUp),
  },
  sorts: {
    date: [
      { expr: sql`occurred_on`, type: 'date', of: (r: Interaction) => r.occurred_on },
      { expr: sql`id`, type: 'uuid', of: (r: Interaction) => r.id },
    ],
  },
  defaultSort: 'date',
  defaultDir: 'desc',
  from: (db, q) => liveOrDeleted(db.selectFrom('interactions').selectAll(), q),
  load: withLinkIds,
  toApi: toApiInteraction,
  csv: { filename: 'interactions.csv', columns: INTERACTION_CSV_FIELDS },
})
