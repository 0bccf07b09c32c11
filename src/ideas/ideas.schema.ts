import { z } from 'zod'
import { KINDS } from '../products/products.schema.ts'
import { listBase, manyOf } from '../register/list-query.ts'

/**
 * The idea bank's query. Not strict, unlike the register's lists: a public link may carry
 * parameters of its own (a newsletter's tracking tags), and those are no reason to fail.
 */
export const listIdeasQuery = z.object({
  q: listBase.q,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: listBase.cursor,
  kind: manyOf(z.enum(KINDS)),
  theme_id: manyOf(z.uuid()),
  validated: z.enum(['1']).optional(),
})

export type IdeaQuery = z.output<typeof listIdeasQuery>
