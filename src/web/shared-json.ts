import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { Context } from 'hono'

const gzipped = promisify(gzip)

interface Body {
  /** UTF-8, encoded once too (a string body is encoded again for every response). */
  json: Buffer
  gzip?: Promise<Buffer>
}

const bodies = new WeakMap<object, Body>()

/** Below this a body is sent as it is (as hono/compress does). */
const GZIP_FROM = 1024

/**
 * The JSON answer of a result that requests share — cached per data version and handed to every
 * reader as the same object (plan progress, a network view) — written out once per result, and
 * gzipped once for the clients that take gzip, instead of once per request: for a plan's progress
 * (2.4 MB) or a two-step ego network (3.2 MB) at the suite's scale 1 that was most of the
 * request's time, and fifty readers at once each held their own copy (bench/README.md).
 *
 * `key` is the shared result (the memo lives as long as it does); `value` what is sent of it.
 * Neither may change after the first call.
 */
export async function sharedJson(c: Context, key: object, value: () => unknown): Promise<Response> {
  let body = bodies.get(key)
  if (!body) bodies.set(key, (body = { json: Buffer.from(JSON.stringify(value())) }))
  c.header('Content-Type', 'application/json')
  c.header('Vary', 'Accept-Encoding')
  if (body.json.length >= GZIP_FROM && takesGzip(c.req.header('Accept-Encoding'))) {
    body.gzip ??= gzipped(body.json)
    c.header('Content-Encoding', 'gzip')
    return c.body((await body.gzip) as Uint8Array<ArrayBuffer>, 200)
  }
  return c.body(body.json as Uint8Array<ArrayBuffer>, 200)
}

/** Whether an Accept-Encoding header takes gzip (named or `*`, with a q above 0). */
export function takesGzip(header: string | undefined): boolean {
  if (!header) return false
  let wildcard = 0
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam ? Number(qParam.slice(2)) : 1
    if (name === 'gzip') return q > 0
    if (name === '*') wildcard = q
  }
  return wildcard > 0
}
