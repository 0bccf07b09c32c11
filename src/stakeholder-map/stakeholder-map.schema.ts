import { z } from 'zod'
import { manyOf } from '../register/list-query.ts'
import { KINDS } from '../organisations/organisations.schema.ts'

export const MAP_TYPES = ['organisation', 'contact'] as const
export type MapType = (typeof MAP_TYPES)[number]

export const mapQuery = z.strictObject({
  theme_id: z.uuid().optional(),
  kind: manyOf(z.enum(KINDS)),
  type: z.enum(MAP_TYPES).optional(),
  missing: z.enum(['1']).optional(),
})

export type MapQuery = z.output<typeof mapQuery>
