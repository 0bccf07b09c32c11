import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId, timestampKey } from '../db/pagination.ts'
import type { Organisation } from '../db/schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { filterText, manyOf, searchQuery } from '../register/list-query.ts'
import { searchFilter } from '../register/search-filter.ts'
import { ORGANISATION_NAMES } from './search-names.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { KINDS } from './organisations.schema.ts'
import { ORGANISATION_CSV_FIELDS, toApiOrganisation } from './organisations.service.ts'

/** The organisation list — page, API and CSV export: its filters, orders and columns. */
export const organisationList = defineList({
  path: '/organisations',
  filters: {
    // Typo matches only when few match as typed: their similarity check per row is most of
    // what a text filter costs, and beside real matches they are noise (jonkoping ≠ Linköping).
    q: rankedFilter(searchQuery, searchFilter('organisations', ORGANISATION_NAMES)),
    kind: filter(manyOf(z.enum(KINDS)), (v) => sql<SqlBool>`kind = any(${sql.val(v)}::text[])`),
    county: filter(manyOf(z.enum(COUNTIES)), (v) => sql<SqlBool>`county = any(${sql.val(v)}::text[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    tag: filter(manyOf(filterText(50)), (v) => sql<SqlBool>`tags && ${sql.val(v)}::text[]`),
    parent_id: filter(z.uuid().optional(), (v) => sql<SqlBool>`parent_id = ${v}::uuid`),
  },
  // Each order ends in (Swedish name, id), so that equal sort values page in a fixed order.
  sorts: {
    name: nameThenId<Organisation>(),
    kind: [{ expr: sql`kind`, of: (o: Organisation) => o.kind }, ...nameThenId<Organisation>()],
    county: [{ expr: sql`coalesce(county, '')`, of: (o: Organisation) => o.county ?? '' }, ...nameThenId<Organisation>()],
    updated: [timestampKey<Organisation>('updated_at', (o) => o.updated_at), ...nameThenId<Organisation>()],
  },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('organisations').selectAll(), q, true),
  toApi: toApiOrganisation,
  csv: { filename: 'organisations.csv', columns: ORGANISATION_CSV_FIELDS },
})

export type OrganisationQuery = ListQuery<typeof organisationList.filters, keyof typeof organisationList.sorts>
export const listOrganisationsQuery = organisationList.schema
export const pageOrganisations = organisationList.page
