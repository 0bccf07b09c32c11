import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import { PLAN_EACH_TIME } from '../db/prepared.ts'
import type { Theme } from '../db/schema.ts'
import { likePattern, searchQuery } from '../register/list-query.ts'
import { foldForSearch } from '../register/search-text.ts'
import { defineList, filter, liveOrDeleted } from '../web/list.ts'
import { THEME_CSV_FIELDS, toApiTheme } from './themes.service.ts'

/** The theme list of the API and its CSV export (the page shows the tree instead). */
export const themeList = defineList({
  path: '/api/v1/themes',
  filters: {
    // Folded substring, or trigram word similarity for a typo (themes have no stemmed vector).
    q: filter(searchQuery, (v) => {
      const folded = foldForSearch(v)
      return sql<SqlBool>`(search_text ilike ${likePattern(folded)} ${PLAN_EACH_TIME} or ${folded} <% search_text)`
    }),
    parent_id: filter(z.uuid().optional(), (v) => sql<SqlBool>`parent_id = ${v}::uuid`),
  },
  sorts: { name: nameThenId<Theme>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('themes').selectAll(), q),
  toApi: toApiTheme,
  csv: { filename: 'themes.csv', columns: THEME_CSV_FIELDS },
})
