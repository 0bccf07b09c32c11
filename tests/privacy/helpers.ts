import { expect } from 'vitest'
import { jsonRequest, type TestApp } from '../helpers/app.ts'

export type Who = Awaited<ReturnType<TestApp['apiToken']>>

/** JSON API calls as one user, failing the test on an unexpected status. */
export function apiAs(t: TestApp) {
  const call = (who: Who, method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, who.headers))
  const ok = async (who: Who, method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) => {
    const res = await call(who, method, path, body)
    const text = await res.text()
    expect(res.status, text).toBe(status)
    return text ? JSON.parse(text) : null
  }
  return { call, ok }
}
