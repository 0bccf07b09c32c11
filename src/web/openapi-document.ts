import { apiOperations, jsonSchema, shapeOf, type JsonSchema, type Operation } from './openapi.ts'

const ERROR_TEXT: Record<number, string> = {
  400: 'validation: a bad field, query parameter, cursor or body (`fields` names each)',
  401: 'unauthenticated: no valid session or bearer token',
  403: 'forbidden: the role does not allow it',
  404: 'not_found: no such record (or deleted)',
  409: 'conflict: a stale `version`, the record is in use, or the person was erased (`message` says which)',
  413: 'payload_too_large: the body is over the limit',
  429: 'rate_limited: too many attempts',
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ['validation', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'rate_limited', 'unavailable'] },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'Each bad field and a message for a person.' },
      },
    },
  },
}

const BASE_FIELDS: JsonSchema = {
  id: { type: 'string', format: 'uuid' },
  version: { type: 'integer', minimum: 1 },
  created_at: { type: 'string', format: 'date-time' },
  updated_at: { type: 'string', format: 'date-time' },
}

const singular = (segment: string) => segment.replace(/ies$/, 'y').replace(/s$/, '')
const pascal = (s: string) => s.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
const bodyOf = (op: Operation) => op.inputs.find((i) => i.target === 'json')?.schema

/** A collection's object, from the schema that creates it: its fields, plus id, version and times. */
function resourceSchema(create: JsonSchema): JsonSchema {
  const properties = (create.properties ?? {}) as JsonSchema
  return { type: 'object', required: Object.keys(BASE_FIELDS), properties: { ...BASE_FIELDS, ...properties } }
}

/** The OpenAPI 3.1 document of every `/api/v1` route the router serves. */
export function openApiDocument(routes: Parameters<typeof apiOperations>[0], version: string): JsonSchema {
  const ops = apiOperations(routes)
  const schemas: Record<string, JsonSchema> = { Error: ERROR_SCHEMA }
  // A collection is a path answered by GET and created into by POST with a body.
  const resourceOf = new Map<string, string>()
  for (const op of ops) {
    const create = bodyOf(op)
    if (op.method !== 'POST' || !create || !ops.some((o) => o.method === 'GET' && o.path === op.path)) continue
    const name = pascal(singular(op.path.split('/').pop()!))
    schemas[name] = resourceSchema(jsonSchema(create))
    resourceOf.set(op.path, name)
  }
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const op of ops) (paths[op.path] ??= {})[op.method.toLowerCase()] = operation(op, ops, resourceOf)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Navet JSON API',
      version,
      description: 'The JSON API of Navet, generated from the schemas that validate its requests. Conventions (snake_case, keyset pagination, soft deletes, errors) are in the contract.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [...new Set(ops.map(tagOf))].sort().map((name) => ({ name, description: `Operations under /api/v1/${name}.` })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/v1/sessions.' },
        session: { type: 'apiKey', in: 'cookie', name: 'session', description: 'A browser session (unsafe requests need the same-origin check).' },
      },
    },
  }
}

const tagOf = (op: Operation) => op.path.split('/')[3] ?? 'api'

function successOf(op: Operation, ops: Operation[], resourceOf: Map<string, string>): { status: number; body?: JsonSchema; list: boolean } {
  const said = op.docs.find((d) => d.status !== undefined || d.response !== undefined || d.list !== undefined)
  const parent = op.path.replace(/\/\{\w+\}(\/restore)?$/, '')
  const resource = resourceOf.get(op.path) ?? (op.path !== parent ? resourceOf.get(parent) : undefined)
  const list = op.docs.some((d) => d.list) || (op.method === 'GET' && resourceOf.has(op.path))
  const object: JsonSchema | undefined = said?.response ? jsonSchema(said.response) : resource ? ref(resource) : undefined
  const status = said?.status ?? (op.method === 'DELETE' ? 204 : op.method === 'POST' && resourceOf.has(op.path) ? 201 : 200)
  if (status === 204) return { status, list: false }
  if (list) return { status, list, body: { type: 'object', required: ['data', 'next_cursor'], properties: { data: { type: 'array', items: object ?? { type: 'object' } }, next_cursor: { type: ['string', 'null'] } } } }
  return { status, list, body: object ?? { type: 'object' } }
}

function operation(op: Operation, ops: Operation[], resourceOf: Map<string, string>): JsonSchema {
  const body = bodyOf(op)
  const query = op.inputs.find((i) => i.target === 'query')?.schema ?? op.docs.find((d) => d.query)?.query
  const parameters: JsonSchema[] = pathParams(op.path).map((name) => ({
    name, in: 'path', required: true, schema: name === 'id' || name.endsWith('_id') ? { type: 'string', format: 'uuid' } : { type: 'string' },
  }))
  for (const [name, field] of Object.entries((query && shapeOf(query)) ?? {})) {
    const schema = jsonSchema(field)
    parameters.push({ name, in: 'query', required: !field.safeParse(undefined).success, schema, ...(schema.type === 'array' ? { explode: true } : {}) })
  }
  const success = successOf(op, ops, resourceOf)
  const responses: Record<string, JsonSchema> = {}
  const content: JsonSchema = {}
  if (success.body) content['application/json'] = { schema: success.body }
  if (success.list) content['text/csv'] = { schema: { type: 'string' } }
  responses[String(success.status)] = { description: success.status === 204 ? 'Done, no content' : 'OK', ...(success.body ? { content } : {}) }
  for (const code of errorsOf(op, parameters.length > 0 || body !== undefined)) {
    responses[String(code)] = { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: ref('Error') } } }
  }
  return {
    operationId: `${op.method.toLowerCase()}${pascal(op.path.replace('/api/v1', '').replace(/\{(\w+)\}/g, 'by $1'))}`,
    summary: op.docs.find((d) => d.summary)?.summary ?? `${op.method} ${op.path}`,
    description: op.role === 'public' ? 'Open to anyone.' : `Needs the role ${op.role} or higher.`,
    tags: [tagOf(op)],
    security: op.role === 'public' ? [] : [{ bearer: [] }, { session: [] }],
    parameters,
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
    responses,
  }
}

/** The contract's errors this operation can answer, from its shape. */
export function errorsOf(op: Operation, hasInput: boolean): number[] {
  const codes = new Set<number>(op.docs.flatMap((d) => d.errors ?? []))
  if (hasInput) codes.add(400)
  if (op.role !== 'public') codes.add(401).add(403)
  if (/\{\w+\}/.test(op.path)) codes.add(404)
  if (op.method === 'PATCH' || op.method === 'DELETE') codes.add(409)
  if (bodyOf(op)) codes.add(413)
  return [...codes].sort()
}
