import { sql, type SqlBool } from 'kysely'
import { z } from 'zod'
import { nameThenId } from '../db/pagination.ts'
import type { User } from '../db/schema.ts'
import { likePattern, manyOf, searchQuery } from '../register/list-query.ts'
import { foldedContains } from '../register/search-filter.ts'
import { defineList, filter, liveOrDeleted } from '../web/list.ts'
import { ROLES } from './users.schema.ts'
import { toApiUser } from './users.service.ts'

const CSV_FIELDS = ['id', 'email', 'name', 'role', 'active', 'last_login_at', 'version', 'created_at', 'updated_at'] as const

/** The users of the admin page, the API and its CSV export. */
export const userList = defineList({
  path: '/admin/users',
  filters: {
    // A part of the name (folded as every search folds it) or of the e-mail address.
    q: filter(searchQuery, (v) => sql<SqlBool>`(${foldedContains(sql.ref('name'), v)} or email ilike ${likePattern(v)})`),
    role: filter(manyOf(z.enum(ROLES)), (v) => sql<SqlBool>`role = any(${sql.val(v)}::text[])`),
    active: filter(z.enum(['true', 'false']).optional(), (v) => sql<SqlBool>`active = ${v === 'true'}`),
  },
  sorts: { name: nameThenId<User>() },
  defaultSort: 'name',
  from: (db, q) => liveOrDeleted(db.selectFrom('users').selectAll(), q),
  toApi: toApiUser,
  csv: { filename: 'users.csv', columns: CSV_FIELDS },
})
