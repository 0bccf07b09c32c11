import { z } from 'zod'
import { STATUSES as ALLIANCE_STATUSES } from '../alliances/alliances.schema.ts'
import { CATEGORIES } from '../contacts/contacts.schema.ts'
import { KINDS } from '../organisations/organisations.schema.ts'
import { COUNTIES } from '../register/counties.ts'
import { isoDate } from '../register/fields.ts'
import { manyOf } from '../register/list-query.ts'

export const NODE_TYPES = ['organisation', 'contact', 'alliance', 'project', 'body', 'theme'] as const
export type NodeType = (typeof NODE_TYPES)[number]

export const SIZES = ['degree', 'betweenness', 'none'] as const
export const COLOURS = ['type', 'community', 'plan'] as const
export const LAYOUTS = ['fcose', 'concentric', 'grid'] as const
export const VIEWS = ['graph', 'table'] as const
/** `auto`: the API collapses communities when a view is too large to read. */
export const CLUSTERS = ['auto', 'community', 'kind', 'county', 'none'] as const
export const REACH = ['reached', 'not_reached'] as const
export const NODE_SORTS = ['label', 'type', 'degree', 'betweenness', 'community'] as const
export const EDGE_SORTS = ['source', 'target', 'type', 'weight'] as const

const day = isoDate

/**
 * The page's GET form. The filters and the time and ego settings are the API's own parameters
 * (passed on as they are); the rest only shape the page: how nodes are drawn and which table
 * is sorted how.
 */
export const networkPageQuery = z.strictObject({
  view: z.enum(VIEWS).default('graph'),
  types: manyOf(z.enum(NODE_TYPES)),
  // People folded into their organisations (a count on each) unless shown, or the organisation opened.
  people: z.enum(['fold', 'show']).default('fold'),
  unfold: manyOf(z.uuid()),
  // Filter (AND: hide what does not match).
  theme_id: manyOf(z.uuid()),
  kind: manyOf(z.enum(KINDS)),
  county: manyOf(z.enum(COUNTIES)),
  category: manyOf(z.enum(CATEGORIES)),
  alliance_status: manyOf(z.enum(ALLIANCE_STATUSES)),
  plan_id: z.uuid().optional(),
  plan_reach: z.enum(REACH).optional(),
  // Highlight (OR: dim the rest).
  hl_theme_id: manyOf(z.uuid()),
  hl_kind: manyOf(z.enum(KINDS)),
  hl_county: manyOf(z.enum(COUNTIES)),
  hl_category: manyOf(z.enum(CATEGORIES)),
  hl_alliance_status: manyOf(z.enum(ALLIANCE_STATUSES)),
  hl_plan_reach: z.enum(REACH).optional(),
  // Time: the network on one day, or what changed between two.
  at: day.optional(),
  // On a chosen day, nodes with no relationship valid then are left out unless asked for.
  unlinked: z.enum(['hide', 'show']).default('hide'),
  mode: z.enum(['at', 'changes']).default('at'),
  from: day.optional(),
  to: day.optional(),
  // Ego network.
  focus: z.uuid().optional(),
  depth: z.coerce.number().int().min(1).max(3).default(1),
  // Large views.
  cluster: z.enum(CLUSTERS).default('auto'),
  expand: manyOf(z.string().max(100)),
  // Drawing.
  size: z.enum(SIZES).default('degree'),
  colour: z.enum(COLOURS).optional(),
  layout: z.enum(LAYOUTS).default('fcose'),
  select: z.string().max(200).optional(),
  // A saved view opened by its link: its positions are used for the layout.
  saved: z.uuid().optional(),
  // The table view.
  find: z.string().trim().max(200).optional(),
  sort: z.enum(NODE_SORTS).default('degree'),
  dir: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  esort: z.enum(EDGE_SORTS).default('weight'),
  edir: z.enum(['asc', 'desc']).optional(),
  epage: z.coerce.number().int().min(1).max(100_000).default(1),
})

export type NetworkPageQuery = z.output<typeof networkPageQuery>
