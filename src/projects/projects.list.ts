import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import type { Project } from '../db/schema.ts'
import { manyOf, searchQuery } from '../register/list-query.ts'
import { oneName, searchFilter } from '../register/search-filter.ts'
import { defineList, filter, rankedFilter, liveOrDeleted, type ListQuery } from '../web/list.ts'
import { withParts } from './projects.repo.ts'
import { PROGRAMMES, STATUSES } from './projects.schema.ts'
import { PROJECT_CSV_COLUMNS, projectCsvRow, toApiProject } from './projects.service.ts'

/** The project list — page, API and CSV export: its filters, order and columns. */
export const projectList = defineList({
  path: '/projects',
  filters: {
    q: rankedFilter(searchQuery, searchFilter('projects', oneName('name'), { vector: false })),
    programme: filter(manyOf(z.enum(PROGRAMMES)), (v) => sql<SqlBool>`programme = any(${sql.val(v)}::text[])`),
    status: filter(manyOf(z.enum(STATUSES)), (v) => sql<SqlBool>`status = any(${sql.val(v)}::text[])`),
    theme_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`theme_ids && ${sql.val(v)}::uuid[]`),
    /** Lead or partner. */
    organisation_id: filter(manyOf(z.uuid()), (v) => sql<SqlBool>`(lead_organisation_id = any(${sql.val(v)}::uuid[])
      or exists (select 1 from project_partners pp where pp.project_id = projects.id and pp.organisation_id = any(${sql.val(v)}::uuid[])))`),
  },
  sorts: { name: nameThenId<Project>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('projects').selectAll(), q),
  load: withParts,
  toApi: toApiProject,
  csv: { filename: 'projects.csv', columns: PROJECT_CSV_COLUMNS, row: projectCsvRow },
})

export type ProjectQuery = ListQuery<typeof projectList.filters, keyof typeof projectList.sorts>
export const pageProjects = projectList.page
