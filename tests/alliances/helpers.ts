import { expect } from 'vitest'
import { jsonRequest, type TestApp } from '../helpers/app.ts'

/** A Swedish calendar day `n` days from today. */
export function day(n: number): string {
  const d = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Stockholm' }))
  d.setDate(d.getDate() + n)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

type Who = { headers: Record<string, string> }

/** JSON API helpers for one test app and one signed-in API user. */
export function apiOf(t: TestApp, who: Who) {
  const api = (method: string, path: string, body?: unknown, as: Who = who) => t.request(path, jsonRequest(method, body, as.headers))
  const create = async (path: string, body: Record<string, unknown>) => {
    const res = await api('POST', path, body)
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
    return res.json()
  }
  return {
    api,
    create,
    organisation: (name: string, kind = 'authority') => create('/api/v1/organisations', { name, kind }),
    contact: (first_name: string, last_name: string) => create('/api/v1/contacts', { first_name, last_name }),
    alliance: (body: Record<string, unknown>) => create('/api/v1/alliances', body),
    get: async (path: string) => (await api('GET', path)).json(),
  }
}
