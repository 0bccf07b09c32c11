import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { OrganisationRelationship } from '../db/schema.ts'
import { manyOf } from '../register/list-query.ts'
import { RELATIONSHIP_TYPES } from '../register/vocabulary.ts'
import { defineList, filter, liveOrDeleted } from '../web/list.ts'
import { RELATIONSHIP_CSV_FIELDS, toApiRelationship } from './relationships.service.ts'

type Row = OrganisationRelationship & { created_key: string }

/** The API's list of organisation relationships and its CSV export (pages show them on each organisation). */
export const relationshipList = defineList({
  path: '/api/v1/organisation-relationships',
  filters: {
    // Relationships with any of these organisations, on either side.
    organisation_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`(from_organisation_id = any(${sql.val(v)}::uuid[]) or to_organisation_id = any(${sql.val(v)}::uuid[]))`),
    type: filter(manyOf(z.enum(RELATIONSHIP_TYPES)), (v) => sql<SqlBool>`type = any(${sql.val(v)}::text[])`),
  },
  // Oldest first, as recorded.
  sorts: {
    created: [
      { expr: sql`created_at`, type: 'timestamptz', of: (r: Row) => r.created_key },
      { expr: sql`id`, type: 'uuid', of: (r: Row) => r.id },
    ],
  },
  defaultSort: 'created',
  from: (db, q) => liveOrDeleted(db.selectFrom('organisation_relationships').selectAll().select(sql<string>`created_at::text`.as('created_key')), q),
  toApi: toApiRelationship,
  csv: { filename: 'organisation-relationships.csv', columns: RELATIONSHIP_CSV_FIELDS },
})
