import { z } from 'zod'
import { isoDate } from '../register/fields.ts'
import { NODE_TYPES, type NetNodeType } from './graph.service.ts'

/** A query value given repeated (`types=a&types=b`), comma-separated (`types=a,b`) or both. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)),
    z.array(item).max(200),
  )

/** Repeated only: values that may contain a comma (a county name could). */
const repeated = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

/**
 * Highlight (OR: every node stays, those matching any `hl_*` value get `match: true`, the rest
 * `match: false`): `hl_<field>` for each filter field, plus `hl_type` (node type) and `hl_id`
 * (node ids, e.g. search hits).
 */
export const HIGHLIGHT_FIELDS = ['theme_id', 'kind', 'county', 'category', 'alliance_status', 'plan_reach', 'type', 'id'] as const
export type HighlightField = (typeof HIGHLIGHT_FIELDS)[number]
export type Highlight = { field: HighlightField; value: string }

export const CLUSTER_BY = ['community', 'kind', 'county'] as const
export const CLUSTER_MODES = [...CLUSTER_BY, 'auto', 'none'] as const
export type ClusterBy = (typeof CLUSTER_BY)[number]

const reach = z.enum(['reached', 'not_reached'])

const viewFields = {
  types: listOf(z.enum(NODE_TYPES)),
  at: isoDate.optional(),
  theme_id: repeated(z.uuid()),
  kind: repeated(z.string().min(1).max(100)),
  county: repeated(z.string().min(1).max(100)),
  category: repeated(z.string().min(1).max(100)),
  alliance_status: repeated(z.string().min(1).max(100)),
  plan_id: z.uuid().optional(),
  plan_reach: reach.optional(),
  /** People: only the members of this saved segment (src/segments/); other node types as they are. */
  segment: z.uuid().optional(),
  /** The same as plan_reach. */
  reach: reach.optional(),
  focus: z.uuid().optional(),
  depth: z.coerce.number().int().min(1).max(3).optional(),
  hl_theme_id: repeated(z.uuid()),
  hl_kind: repeated(z.string().min(1).max(100)),
  hl_county: repeated(z.string().min(1).max(100)),
  hl_category: repeated(z.string().min(1).max(100)),
  hl_alliance_status: repeated(z.string().min(1).max(100)),
  hl_plan_reach: reach.optional(),
  hl_type: listOf(z.enum(NODE_TYPES)),
  hl_id: repeated(z.uuid()),
  /** `people`: each organisation stands for its people (`people: N` on the node) unless named in `unfold`. */
  fold: z.enum(['people']).optional(),
  unfold: repeated(z.uuid()),
  /** `hide`: leave out nodes with no relationship in the view (on its day). */
  unlinked: z.enum(['hide', 'show']).optional(),
  /** Collapse groups into one node each; `auto` (the default for JSON): by community when the view is too large to read. */
  cluster: z.enum(CLUSTER_MODES).optional(),
  expand: repeated(z.string().min(1).max(300)),
  /** Server-side positions: `auto` above LAYOUT_THRESHOLD nodes (default), `server` always, `none` never. */
  layout: z.enum(['auto', 'none', 'server']).optional(),
}

type ViewInput = z.output<z.ZodObject<typeof viewFields>>

function refine(q: Pick<ViewInput, 'plan_id' | 'plan_reach' | 'reach' | 'hl_plan_reach'>, ctx: z.RefinementCtx): void {
  for (const k of ['plan_reach', 'reach', 'hl_plan_reach'] as const) {
    if (q[k] && !q.plan_id) ctx.addIssue({ code: 'custom', path: [k], message: 'validation.invalid' })
  }
}

/** The hl_* parameters as one list; reach folded into plan_reach. */
function gather<Q extends ViewInput>({ reach, plan_reach, hl_theme_id, hl_kind, hl_county, hl_category, hl_alliance_status, hl_plan_reach, hl_type, hl_id, ...q }: Q) {
  const highlight: Highlight[] = [
    ...hl_theme_id.map((value) => ({ field: 'theme_id' as const, value })),
    ...hl_kind.map((value) => ({ field: 'kind' as const, value })),
    ...hl_county.map((value) => ({ field: 'county' as const, value })),
    ...hl_category.map((value) => ({ field: 'category' as const, value })),
    ...hl_alliance_status.map((value) => ({ field: 'alliance_status' as const, value })),
    ...(hl_plan_reach ? [{ field: 'plan_reach' as const, value: hl_plan_reach }] : []),
    ...hl_type.map((value) => ({ field: 'type' as const, value })),
    ...hl_id.map((value) => ({ field: 'id' as const, value })),
  ]
  return { ...q, plan_reach: plan_reach ?? reach, highlight }
}

export const networkQuery = z
  .strictObject({
    ...viewFields,
    format: z.enum(['json', 'graphml', 'gexf', 'csv']).optional(),
    part: z.enum(['nodes', 'edges']).optional(),
  })
  .superRefine(refine)
  .transform(gather)

export type NetworkQuery = z.output<typeof networkQuery>

/** The view's parameters with two days instead of one. */
export const changesQuery = z
  .strictObject({ ...viewFields, at: z.undefined().optional(), from: isoDate, to: isoDate })
  .superRefine(refine)
  .transform(gather)

export type ChangesQuery = z.output<typeof changesQuery>

export const explainQuery = z.strictObject({ at: isoDate.optional() })
