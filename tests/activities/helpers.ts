import { expect } from 'vitest'
import { jsonRequest, type TestApp } from '../helpers/app.ts'

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
    organisation: (name: string, extra: Record<string, unknown> = {}) => create('/api/v1/organisations', { name, kind: 'authority', ...extra }),
    contact: (first_name: string, last_name: string, extra: Record<string, unknown> = {}) =>
      create('/api/v1/contacts', { first_name, last_name, ...extra }),
    activity: (body: Record<string, unknown>) => create('/api/v1/activities', body),
    get: async (path: string) => (await api('GET', path)).json(),
  }
}

export type Api = ReturnType<typeof apiOf>

/** The audit rows of one activity, oldest first. */
export async function auditOf(api: Api, id: string, admin: Who) {
  const res = await api.api('GET', `/api/v1/audit?entity_type=activity&entity_id=${id}`, undefined, admin)
  const rows = (await res.json()).data as { action: string; user_id: string; changes: Record<string, [unknown, unknown]> }[]
  return rows.reverse()
}
