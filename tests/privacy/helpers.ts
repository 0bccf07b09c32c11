import { expect } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

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

export type Api = ReturnType<typeof apiAs>

/**
 * The set-up most privacy tests share: an app over a private database, an editor's and an
 * admin's API token and the API caller. `beforeAll(async () => ({ t, editor, admin, api } = await privacyApp()))`.
 */
export async function privacyApp(options?: Parameters<typeof testApp>[0]): Promise<{ t: TestApp; editor: Who; admin: Who; api: Api }> {
  const t = await testApp(options)
  return { t, editor: await t.apiToken('editor'), admin: await t.apiToken('admin'), api: apiAs(t) }
}
