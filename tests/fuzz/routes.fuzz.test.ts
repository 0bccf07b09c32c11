import { sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.ts'
import { withCapturedLog } from '../helpers/captured-log.ts'
import { startOutreach } from '../../src/newsletter/outreach.ts'

/**
 * Generated from the router: every route (app.routes) gets hostile values in its path
 * parameters, in the query parameters and body fields the app reads, as JSON, as a form and as
 * raw bytes — as an admin with a valid session and same-origin headers, so nothing is refused
 * before it is read. No answer may be a 500 or carry a stack trace, a refused write may store
 * nothing (the audit log, which every write passes through, stays the same), and the log may
 * hold none of what was sent (each value carries MARK).
 */

const MARK = 'FUZZMARK'
const ID = '00000000-0000-4000-8000-000000000000'
const TAMPERED_CURSOR = Buffer.from(JSON.stringify([`${MARK}'--`, 'not-a-uuid'])).toString('base64url')
const TEXT = [
  `${MARK}\u0000`,
  `${MARK}\uD800`,
  `${MARK}' OR 1=1; drop table users; --`,
  `${MARK}<script>alert(1)</script>`,
  `${MARK}${'x'.repeat(20_000)}`,
  '0000-01-01',
  '2026-02-30',
  TAMPERED_CURSOR,
  '__proto__',
  '-1e309',
]
// In a query string: what a browser cannot send but a client can (a bare %FF is not UTF-8).
const RAW_QUERY = ['%FF' + MARK, '%00' + MARK, '%ED%A0%80' + MARK, '%C0%AF' + MARK]
const JSON_VALUES: unknown[] = [...TEXT, 12, true, null, [MARK, 1], { [MARK]: { __proto__: { admin: true } } }]
const FIELDS = [
  'q', 'cursor', 'limit', 'from', 'to', 'at', 'tag', 'kind', 'status', 'type', 'format', 'next', 'theme_id', 'focus', 'expand',
  'name', 'title', 'first_name', 'last_name', 'email', 'phone', 'org_number', 'notes', 'summary', 'description', 'password',
  'version', 'start_date', 'end_date', 'occurred_on', 'tags', 'theme_ids', 'organisation_id', 'contact_id', 'role', 'confirm', 'token', 'code',
]
// In `npm test` each route gets a rotating share of the values (every value still reaches many
// routes) so the suite stays quick; FUZZ_FULL=1 sends every value to every route.
const FULL = process.env.FUZZ_FULL === '1'
const share = <T>(list: T[], i: number, n = 2): T[] => (FULL ? list : Array.from({ length: Math.min(n, list.length) }, (_, k) => list[(i * n + k) % list.length]!))
// Routes that end the session the fuzzer uses.
const SKIP = new Set(['POST /logout', 'DELETE /api/v1/sessions/current'])

let t: TestApp
let fuzz: ReturnType<typeof withCapturedLog>
let cookie: string
beforeAll(async () => {
  // With outreach (its job queue, not working it): without it the public newsletter and event
  // routes answer 503 before they read anything, and their input handling goes untested.
  t = await testApp({}, undefined, undefined, async (h, config) => ({ outreach: await startOutreach(h, config, pino({ level: 'silent' }), { work: false }) }))
  fuzz = withCapturedLog(t)
  cookie = (await t.browser('admin')).cookie
})
afterAll(() => t.close())

/** encodeURIComponent refuses a lone surrogate: send the bytes a careless client would. */
const enc = (v: string) => {
  try {
    return encodeURIComponent(v)
  } catch {
    return encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '')) + '%ED%A0%80'
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const headers = (extra: Record<string, string> = {}) => ({ cookie, origin: 'http://localhost', 'sec-fetch-site': 'same-origin', ...extra })
const fill = (path: string, value: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, () => value).replace(/\*$/, value)

function bodiesFor(path: string): { init: RequestInit; label: string }[] {
  const out: { init: RequestInit; label: string }[] = []
  const api = path.startsWith('/api/')
  for (const v of JSON_VALUES) {
    const obj = Object.fromEntries(FIELDS.map((f) => [f, v]))
    if (api || typeof v === 'string') out.push({ label: `json ${JSON.stringify(v).slice(0, 30)}`, init: { headers: headers({ 'content-type': 'application/json' }), body: JSON.stringify(obj) } })
    if (!api && typeof v === 'string') {
      out.push({ label: `form ${v.slice(0, 30)}`, init: { headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }), body: new URLSearchParams(obj as Record<string, string>).toString() } })
    }
  }
  const bad = new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x00, 0x22, 0x7d])
  out.push({ label: 'json bytes', init: { headers: headers({ 'content-type': 'application/json' }), body: bad } })
  out.push({ label: 'form bytes', init: { headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }), body: `name=${RAW_QUERY[0]}&title=${RAW_QUERY[1]}` } })
  out.push({ label: 'binary', init: { headers: headers({ 'content-type': 'application/octet-stream' }), body: new Uint8Array([0, 0xff, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]) } })
  const form = new FormData()
  for (const f of FIELDS.slice(0, 12)) form.append(f, `${MARK}\u0000`)
  form.append('file', new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x00, 0x89, 0x50, 0x4e, 0x47])], { type: 'application/octet-stream' }), `${MARK}.png`)
  out.push({ label: 'multipart binary', init: { headers: headers(), body: form } })
  out.push({ label: 'malformed json', init: { headers: headers({ 'content-type': 'application/json' }), body: `{"${MARK}":` } })
  return out
}

function queriesFor(): string[] {
  const q: string[] = []
  for (const v of TEXT) q.push(FIELDS.slice(0, 15).map((f) => `${f}=${enc(v)}`).join('&'))
  for (const raw of RAW_QUERY) q.push(FIELDS.slice(0, 15).map((f) => `${f}=${raw}`).join('&'))
  q.push(`${encodeURIComponent('__proto__')}[admin]=1&constructor[prototype][x]=${MARK}`)
  return q
}

const auditCount = async () => Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(t.db)).rows[0]!.n)

describe('every route under hostile input', () => {
  it('answers no 500, shows no stack trace, stores nothing it refused and logs nothing it was sent', async () => {
    const routes = [...new Set(fuzz.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].filter((r) => !SKIP.has(r))
    const failures: string[] = []
    let sent = 0
    let audited = 0
    for (const [i, route] of routes.entries()) {
      const [method, path] = route.split(' ') as [string, string]
      const requests: { url: string; init: RequestInit; label: string }[] = []
      const base = fill(path, ID)
      if (path.includes(':') || path.endsWith('*')) {
        for (const v of share([...TEXT.slice(0, 4), 'aff:' + ID + '%00', '..%2F..%2Fetc%2Fpasswd'], i, 1)) {
          requests.push({ url: fill(path, enc(v).replaceAll('%25', '%')), init: { headers: headers() }, label: `param ${v.slice(0, 20)}` })
        }
      }
      if (UNSAFE.has(method)) for (const b of share(bodiesFor(path), i)) requests.push({ url: base, init: b.init, label: b.label })
      else for (const q of share(queriesFor(), i)) requests.push({ url: `${base}?${q}`, init: { headers: headers() }, label: `query ${q.slice(0, 40)}` })

      // A read may write audit rows too (a protected person viewed, an export): count afresh per route.
      if (UNSAFE.has(method)) audited = await auditCount()
      for (const r of requests) {
        const res = await fuzz.app.request(r.url, { ...r.init, method })
        sent++
        const body = await res.text()
        if (res.status >= 500) failures.push(`${route} [${r.label}] → ${res.status}`)
        if (/\n\s+at .+:\d+:\d+/.test(body) || /node_modules|\.ts:\d+/.test(body)) failures.push(`${route} [${r.label}] shows a stack trace`)
        // One count per write: the count after one request is the count before the next.
        if (UNSAFE.has(method)) {
          const after = await auditCount()
          if (res.status >= 400 && after !== audited) failures.push(`${route} [${r.label}] → ${res.status} but stored something`)
          audited = after
        }
      }
    }
    const log = fuzz.log()
    if (log.includes(MARK)) failures.push(`the log holds a submitted value: …${log.slice(Math.max(0, log.indexOf(MARK) - 200), log.indexOf(MARK) + 50)}…`)
    console.log(`fuzz${FULL ? ' (full)' : ''}: ${routes.length} routes, ${sent} crafted requests, ${failures.filter((f) => / → 5\d\d$/.test(f)).length} answered 5xx`)
    expect(failures).toEqual([])
  }, 600_000)
})
