import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { STATIC_DIR } from '../paths.ts'

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

interface Asset {
  body: Uint8Array
  type: string
  etag: string
}

function load(file: string): Asset | undefined {
  const type = TYPES[path.extname(file)]
  if (!type) return undefined
  const body = fs.readFileSync(file)
  const etag = `"${body.length.toString(16)}-${fs.statSync(file).mtimeMs.toString(16)}"`
  return { body, type, etag }
}

/** Everything under static/ plus vendor copies from node_modules, read once: no path ever reaches the file system. */
function collect(): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const entry of fs.readdirSync(STATIC_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const asset = load(full)
    if (asset) assets.set('/' + path.relative(STATIC_DIR, full).split(path.sep).join('/'), asset)
  }
  const require = createRequire(import.meta.url)
  const vendor: Record<string, string> = {
    '/vendor/htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
    // The network page: Cytoscape and the fCoSE layout with the two libraries it builds on (UMD globals, in this order).
    '/vendor/cytoscape.min.js': require.resolve('cytoscape/dist/cytoscape.min.js'),
    '/vendor/layout-base.js': require.resolve('layout-base/layout-base.js'),
    '/vendor/cose-base.js': require.resolve('cose-base/cose-base.js'),
    '/vendor/cytoscape-fcose.js': require.resolve('cytoscape-fcose/cytoscape-fcose.js'),
  }
  for (const [url, file] of Object.entries(vendor)) {
    const asset = load(file)
    if (asset) assets.set(url, asset)
  }
  return assets
}

export function staticFiles() {
  const assets = collect()
  return new Hono<AppEnv>().get('/*', publicAccess, (c) => {
    const asset = assets.get(c.req.path.slice('/static'.length))
    if (!asset) return c.notFound()
    c.header('ETag', asset.etag)
    c.header('Cache-Control', 'public, max-age=3600')
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304)
    c.header('Content-Type', asset.type)
    return c.body(asset.body as Uint8Array<ArrayBuffer>)
  })
}
