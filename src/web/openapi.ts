import type { MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { ACCESS } from '../auth/roles.ts'
import type { Role } from '../db/schema.ts'

/**
 * The OpenAPI 3.1 document is read off the router: each `/api/v1` route's access declaration,
 * its validators (`validate('json'|'query'|'param', schema)` carry their zod schema) and, where
 * a route needs to say more (a list, a status, a summary), an `apiDoc({...})` beside it. So
 * declaring a route is documenting it: nothing to keep in step by hand.
 */
export const API_INPUT = Symbol('api input')
export const API_DOC = Symbol('api doc')

export interface ApiInput {
  target: 'json' | 'query' | 'param'
  schema: z.ZodType
}

export interface ApiDoc {
  summary?: string
  /** Query parameters a handler reads itself (listApi and validate('query') say so already). */
  query?: z.ZodType
  /** `GET` answers `{ data: [...], next_cursor }` (and CSV with `format=csv`). */
  list?: boolean
  /** The success status when it is not the usual one (201 for a create, 204 for a delete). */
  status?: number
  /** The success body, when it is not the collection's object. */
  response?: z.ZodType
  /** Errors beyond those the route's shape implies (429 for log-in). */
  errors?: number[]
}

/** Marks a handler or middleware with what the API document should say about its route. */
export function withApiDoc<T extends object>(fn: T, doc: ApiDoc): T {
  return Object.assign(fn, { [API_DOC]: doc })
}

/** A no-op middleware that documents its route: `.get('/', requireRole('viewer'), apiDoc({ list: true }), …)`. */
export function apiDoc(doc: ApiDoc): MiddlewareHandler<AppEnv> {
  return withApiDoc<MiddlewareHandler<AppEnv>>(async (_c, next) => next(), doc)
}

interface RouteInfo {
  method: string
  path: string
  handler: unknown
}

export interface Operation {
  method: string
  /** OpenAPI form: `/api/v1/contacts/{id}`. */
  path: string
  role: Role | 'public'
  inputs: ApiInput[]
  docs: ApiDoc[]
}

const API_PREFIX = '/api/v1/'

/** `/api/v1/contacts/:id{[0-9a-f-]{36}}` → `/api/v1/contacts/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)(\{[^/]*\})?/g, '{$1}')
}

function meta<T>(handler: unknown, key: symbol): T | undefined {
  return typeof handler === 'function' && key in handler ? ((handler as unknown as Record<symbol, T>)[key]) : undefined
}

/** Every `/api/v1` operation the router serves, with what its handlers declare. */
export function apiOperations(routes: readonly RouteInfo[]): Operation[] {
  const byKey = new Map<string, Operation>()
  for (const r of routes) {
    if (r.method === 'ALL' || !r.path.startsWith(API_PREFIX)) continue
    const path = openApiPath(r.path)
    const key = `${r.method} ${path}`
    const op = byKey.get(key) ?? { method: r.method, path, role: 'public', inputs: [], docs: [] }
    byKey.set(key, op)
    const role = meta<Role | 'public'>(r.handler, ACCESS)
    if (role) op.role = role
    const input = meta<ApiInput>(r.handler, API_INPUT)
    if (input) op.inputs.push(input)
    const doc = meta<ApiDoc>(r.handler, API_DOC)
    if (doc) op.docs.push(doc)
  }
  return [...byKey.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
}

export type JsonSchema = Record<string, unknown>

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 speaks), as a client sends it. */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  return rest
}

/** The properties of an object schema (`z.object`, `z.strictObject`), if it is one; a transformed one is read at its input. */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape
  if (shape && typeof shape === 'object') return shape
  const def = (schema as unknown as { def?: { type?: string; in?: z.ZodType } }).def
  return def?.type === 'pipe' && def.in ? shapeOf(def.in) : undefined
}
