import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

// A rank folds a record's name to ask whether it starts with the query only where its searched
// text does (ScoreNames.leading): it trusts each feature to write the name first into that text.
// Written here through each feature's own API, a record whose name starts with the query must rank
// above one that holds it later in the name, for the list's box and the global search alike.
let t: TestApp
let admin: Awaited<ReturnType<TestApp['apiToken']>>
const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, admin.headers))

/** Each searchable type's list, its name field and what else a new record needs; the theme tree's list is in name order, not ranked. */
const TYPES: { type: string; path: string; name: 'name' | 'title'; body: Record<string, unknown>; ranked?: false }[] = [
  { type: 'organisation', path: '/api/v1/organisations', name: 'name', body: { kind: 'other' } },
  { type: 'activity', path: '/api/v1/activities', name: 'title', body: {} },
  { type: 'alliance', path: '/api/v1/alliances', name: 'name', body: {} },
  { type: 'plan', path: '/api/v1/plans', name: 'name', body: {} },
  { type: 'project', path: '/api/v1/projects', name: 'name', body: {} },
  { type: 'product', path: '/api/v1/products', name: 'title', body: { kind: 'report' } },
  { type: 'body', path: '/api/v1/bodies', name: 'name', body: { kind: 'network' } },
  { type: 'theme', path: '/api/v1/themes', name: 'name', body: {}, ranked: false },
]

beforeAll(async () => {
  t = await testApp()
  admin = await t.apiToken('admin')
  for (const { path, name, body } of TYPES) {
    // The one that holds the word later first, and with the shorter text: a substring match that
    // covers more of its text outranks another substring match, so only a prefix puts the longer
    // one first.
    for (const n of ['Dialog om Qorvagruppen', 'Qorvaträff om dialog och mer därtill i Sverige']) {
      const res = await api('POST', path, { ...body, [name]: n })
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201)
    }
  }
  // People: a first name that starts with the word (the searched text starts with the first
  // name), and an e-mail address that holds it, in a shorter text.
  for (const p of [{ first_name: 'Anna', last_name: 'Berg', email: 'anna.qorvald@example.se' }, { first_name: 'Qorvald', last_name: 'Lindqvist-Andersson', email: 'q.lindqvist.andersson@example.se', title: 'Samordnare' }]) {
    const res = await api('POST', '/api/v1/contacts', { categories: [], ...p })
    expect(res.status, await res.clone().text()).toBe(201)
  }
})
afterAll(() => t.close())

describe('a record whose name starts with the query', () => {
  it('ranks first: a person, by the first name', async () => {
    const list = await api('GET', '/api/v1/contacts?q=qorva')
    expect(list.status).toBe(200)
    expect(((await list.json()) as { data: { first_name: string }[] }).data.map((r) => r.first_name)).toEqual(['Qorvald', 'Anna'])
    const found = await api('GET', '/api/v1/search?q=qorva&types=contact')
    const hits = ((await found.json()) as { data: { label: string; score: number }[] }).data
    expect(hits.map((h) => h.label)).toEqual(['Qorvald Lindqvist-Andersson', 'Anna Berg'])
    expect(Math.floor(hits[0]!.score)).toBe(3)
  })

  it.each(TYPES)('ranks first: $type', async ({ type, path, name, ranked }) => {
    if (ranked !== false) {
      const list = await api('GET', `${path}?q=qorva`)
      expect(list.status).toBe(200)
      expect(((await list.json()) as { data: Record<string, string>[] }).data.map((r) => r[name])).toEqual(['Qorvaträff om dialog och mer därtill i Sverige', 'Dialog om Qorvagruppen'])
    }
    const found = await api('GET', `/api/v1/search?q=qorva&types=${type}`)
    expect(found.status).toBe(200)
    const hits = ((await found.json()) as { data: { label: string; score: number }[] }).data
    expect(hits.map((h) => h.label)).toEqual(['Qorvaträff om dialog och mer därtill i Sverige', 'Dialog om Qorvagruppen'])
    // A prefix (3 and a fraction), not a substring (1 and a fraction).
    expect(Math.floor(hits[0]!.score)).toBe(3)
  })
})
