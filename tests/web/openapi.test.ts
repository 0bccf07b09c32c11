import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessOf } from '../../src/auth/roles.ts'
import { API_DOC, API_INPUT, openApiPath, shapeOf, type ApiDoc, type ApiInput } from '../../src/web/openapi.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

type Doc = {
  openapi: string
  paths: Record<string, Record<string, {
    parameters: { name: string; in: string }[]
    requestBody?: { content: Record<string, unknown> }
    responses: Record<string, { content?: Record<string, { schema: unknown }> }>
    security: unknown[]
  }>>
}

let t: TestApp
let doc: Doc
beforeAll(async () => {
  t = await testApp()
  const res = await t.request('/api/v1/openapi.json')
  expect(res.status).toBe(200)
  doc = await res.json()
})
afterAll(() => t.close())

const READS_QUERY = /c\.req\.quer(y|ies)\(|queryOf\(|parseOrThrow\(c, \w+Query\b/

/** Every /api/v1 operation the router serves, with the validators and apiDoc() its handlers carry. */
function served() {
  const ops = new Map<string, { method: string; path: string; inputs: ApiInput[]; docs: ApiDoc[]; readsQuery: boolean }>()
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/v1/')) continue
    const key = `${r.method} ${openApiPath(r.path)}`
    const op = ops.get(key) ?? { method: r.method.toLowerCase(), path: openApiPath(r.path), inputs: [], docs: [], readsQuery: false }
    const input = (r.handler as unknown as Record<symbol, ApiInput | undefined>)[API_INPUT]
    if (input) op.inputs.push(input)
    const said = (r.handler as unknown as Record<symbol, ApiDoc | undefined>)[API_DOC]
    if (said) op.docs.push(said)
    // A handler that parses its own query (rather than through validate('query') or a list).
    if (READS_QUERY.test(String(r.handler))) op.readsQuery = true
    ops.set(key, op)
  }
  return [...ops.values()]
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every /api/v1 route the router serves, with its parameters, body, responses and errors', () => {
    expect(doc.openapi).toBe('3.1.0')
    const access = accessOf(t.app.routes)
    const ops = served()
    expect(ops.length).toBeGreaterThan(60)
    const missing: string[] = []
    for (const op of ops) {
      const where = `${op.method.toUpperCase()} ${op.path}`
      const d = doc.paths[op.path]?.[op.method]
      if (!d) { missing.push(`${where}: not in the document`); continue }
      const params = new Set(d.parameters.map((p) => `${p.in}:${p.name}`))
      for (const [, name] of op.path.matchAll(/\{(\w+)\}/g)) if (!params.has(`path:${name}`)) missing.push(`${where}: path parameter ${name}`)
      for (const input of op.inputs) {
        if (input.target === 'json' && !d.requestBody?.content['application/json']) missing.push(`${where}: request body`)
        if (input.target === 'query') for (const name of Object.keys(shapeOf(input.schema) ?? {})) if (!params.has(`query:${name}`)) missing.push(`${where}: query ${name}`)
      }
      for (const said of op.docs) for (const name of Object.keys((said.query && shapeOf(said.query)) ?? {})) if (!params.has(`query:${name}`)) missing.push(`${where}: query ${name}`)
      const codes = Object.keys(d.responses)
      if (!codes.some((c) => /^2\d\d$/.test(c))) missing.push(`${where}: no success response`)
      const level = [...access].find(([k]) => k === `${op.method.toUpperCase()} ${op.path.replace(/\{(\w+)\}/g, ':$1')}`)?.[1]
      const errors = [
        ...(level !== 'public' ? ['401', '403'] : []),
        ...(op.path.includes('{') ? ['404'] : []),
        ...(op.inputs.length || op.path.includes('{') ? ['400'] : []),
      ]
      for (const code of errors) if (!codes.includes(code)) missing.push(`${where}: error ${code}`)
      for (const code of codes.filter((c) => /^[45]/.test(c))) {
        if (JSON.stringify(d.responses[code]!.content?.['application/json']?.schema) !== '{"$ref":"#/components/schemas/Error"}') missing.push(`${where}: ${code} is not the contract's error`)
      }
      if (level !== 'public' && d.security.length === 0) missing.push(`${where}: no security`)
    }
    expect(missing).toEqual([])
  })

  it('documents the query parameters of every GET route that parses its own query, from the schema it parses with', () => {
    const undocumented = served()
      .filter((op) => op.method === 'get' && op.readsQuery && !op.inputs.some((i) => i.target === 'query') && !op.docs.some((d) => d.query))
      .map((op) => op.path)
    expect(undocumented).toEqual([])
    const params = (path: string) => doc.paths[path]!.get!.parameters.filter((p) => p.in === 'query').map((p) => p.name)
    expect(params('/api/v1/network')).toEqual(expect.arrayContaining(['at', 'types', 'format', 'part', 'cluster', 'layout']))
    expect(params('/api/v1/network/changes')).toEqual(expect.arrayContaining(['from', 'to']))
    expect(params('/api/v1/network/edges/{id}')).toEqual(['at'])
    expect(params('/api/v1/search')).toEqual(['q', 'types', 'limit'])
    expect(params('/api/v1/organisation-relationships')).toEqual(expect.arrayContaining(['organisation_id', 'type', 'cursor', 'format']))
  })

  it('describes a list with its filters and the collection\'s object with its fields', () => {
    const list = doc.paths['/api/v1/contacts']!.get!
    const names = list.parameters.map((p) => p.name)
    for (const name of ['q', 'limit', 'cursor', 'format', 'county', 'category']) expect(names, name).toContain(name)
    expect(JSON.stringify(list.responses['200']!.content!['application/json']!.schema)).toContain('next_cursor')
    expect(list.responses['200']!.content!['text/csv']).toBeDefined()
    const created = doc.paths['/api/v1/contacts']!.post!
    expect(created.responses['201']).toBeDefined()
    expect(JSON.stringify(created.requestBody!.content['application/json'])).toContain('first_name')
    expect(doc.paths['/api/v1/contacts/{id}']!.delete!.responses['204']).toBeDefined()
    expect(doc.paths['/api/v1/contacts/{id}']!.patch!.responses['409']).toBeDefined()
  })

  it('is read as a page from our own origin, every operation on it', async () => {
    const res = await t.request('/api-reference?lang=en')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>API reference</h1>')
    expect(html).not.toMatch(/<script[^>]+src="https?:/)
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) expect(html).toContain(`${method.toUpperCase()} ${path}`)
    }
  })
})
