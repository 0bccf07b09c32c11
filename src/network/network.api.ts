import { auditExport } from '../privacy/history.routes.ts'
import { Hono, type Context } from 'hono'
import { compress } from 'hono/compress'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { sharedJson } from '../web/shared-json.ts'
import { apiDoc } from '../web/openapi.ts'
import { parseOrThrow } from '../web/validate.ts'
import { explainEdge } from './explain.ts'
import { edgesCsv, nodesCsv, toGEXF, toGraphML } from './export.ts'
import { changesQuery, explainQuery, networkQuery } from './network.schema.ts'
import { networkChanges, networkView } from './view.ts'
import { viewOptions } from './view-options.ts'
import { today } from '../register/vocabulary.ts'

const query = (c: Context<AppEnv>) => dropEmpty(c.req.queries() as Record<string, string[]>)

/**
 * GET /api/v1/network — the view as JSON (default), GraphML (`?format=graphml` or
 * `Accept: application/graphml+xml`), GEXF (`?format=gexf`) or CSV (`?format=csv&part=nodes|edges`).
 * Files are of the real graph unless `cluster=` names a grouping; JSON clusters large views.
 */
export const networkApi = new Hono<AppEnv>()
  // A large view is megabytes of JSON or XML and shrinks about five times with gzip.
  .get('/', requireRole('viewer'), apiDoc({ query: networkQuery }), compress(), async (c) => {
    const q = parseOrThrow(c, networkQuery, query(c))
    const accept = c.req.header('accept') ?? ''
    const format = q.format ?? (accept.includes('application/graphml+xml') ? 'graphml' : accept.includes('application/gexf+xml') ? 'gexf' : 'json')
    const cluster = q.cluster ?? (format === 'json' ? 'auto' : 'none')
    // GraphML and GEXF carry the positions (x, y) when the view has them; a CSV has no use for them.
    const layout = format === 'csv' ? 'none' : q.layout
    // A file leaves the register: people with protected identity or restricted processing stay out, whoever asks.
    const view = await networkView(c.get('db'), { ...q, cluster, layout }, { ...viewOptions(c), ...(format === 'json' ? {} : { audience: 'export' as const }) })
    const name = `network-${view.meta.at}`
    if (format !== 'json') await auditExport(c, `/api/v1/network?format=${format}`, query(c), view.nodes.length)
    switch (format) {
      case 'graphml':
        c.header('Content-Disposition', `attachment; filename="${name}.graphml"`)
        return c.body(toGraphML(view), 200, { 'Content-Type': 'application/graphml+xml; charset=utf-8' })
      case 'gexf':
        c.header('Content-Disposition', `attachment; filename="${name}.gexf"`)
        return c.body(toGEXF(view), 200, { 'Content-Type': 'application/gexf+xml; charset=utf-8' })
      case 'csv': {
        const part = q.part ?? 'nodes'
        const { header, rows } = part === 'edges' ? edgesCsv(view) : nodesCsv(view)
        return csvResponse(c, `${name}-${part}.csv`, header, rows, { audited: true })
      }
      default:
        // A cached view is the same object for every reader of its version: written out once.
        return sharedJson(c, view, () => view)
    }
  })
  .get('/changes', requireRole('viewer'), apiDoc({ query: changesQuery }), compress(), async (c) => {
    const q = parseOrThrow(c, changesQuery, query(c))
    return c.json(await networkChanges(c.get('db'), q, viewOptions(c)))
  })
  .get('/edges/:id', requireRole('viewer'), apiDoc({ query: explainQuery }), async (c) => {
    const q = parseOrThrow(c, explainQuery, query(c))
    const id = c.req.param('id')
    if (id.length > 200) throw new NotFoundError()
    return c.json(await explainEdge(c.get('db'), id, q.at ?? today(), c.get('t')))
  })
