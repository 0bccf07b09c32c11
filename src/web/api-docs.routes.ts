import fs from 'node:fs'
import path from 'node:path'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { ROOT } from '../paths.ts'
import { openApiDocument } from './openapi-document.ts'
import { render } from './render.ts'

type Routes = Parameters<typeof openApiDocument>[0]

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

/**
 * `GET /api/v1/openapi.json`, the API's reference document, and `/api-reference`, the same read
 * as a page (server-rendered: no renderer from a CDN, nothing for the CSP to allow). Both public:
 * they describe the API, not its data. Built once, from the finished router.
 */
export function apiDocs(routes: () => Routes): Hono<AppEnv> {
  let doc: ReturnType<typeof openApiDocument> | undefined
  const document = () => (doc ??= openApiDocument(routes(), VERSION))
  return new Hono<AppEnv>()
    .get('/api/v1/openapi.json', publicAccess, (c) => c.json(document()))
    .get('/api-reference', publicAccess, (c) => {
      const d = document() as { paths: Record<string, Record<string, Record<string, unknown>>>; info: { version: string } }
      const operations = Object.entries(d.paths).flatMap(([p, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ path: p, method: method.toUpperCase(), ...op })))
      return render(c, 'api/reference', { title: c.get('t')('api.title'), operations, version: d.info.version })
    })
}
