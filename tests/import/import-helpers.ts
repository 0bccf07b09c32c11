import { expect } from 'vitest'
import { ORIGIN, formPost, type TestApp } from '../helpers/app.ts'

/** A valid Swedish organisation number from nine digits (the tenth is the Luhn check digit). */
export function orgNumber(nine: string): string {
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`
}

/** Uploads a file as a browser's multipart form does; returns the upload's id. */
export async function upload(t: TestApp, cookie: string, entity: string, content: string | Uint8Array, filename = 'lista.csv'): Promise<string> {
  const res = await uploadResponse(t, cookie, entity, content, filename)
  expect(res.status, await res.clone().text()).toBe(303)
  const m = /^\/import\/([0-9a-f-]{36})\/mapping$/.exec(res.headers.get('location') ?? '')
  expect(m).toBeTruthy()
  return m![1]!
}

export function uploadResponse(t: TestApp, cookie: string, entity: string, content: string | Uint8Array, filename = 'lista.csv') {
  const body = new FormData()
  body.set('entity', entity)
  body.set('file', new File([content as BlobPart], filename, { type: 'text/csv' }))
  return t.request('/import', { method: 'POST', body, headers: { origin: ORIGIN, 'sec-fetch-site': 'same-origin', cookie } })
}

/** The value each <select> of a page has selected ('' when none is). */
export function selectedValues(html: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]!)
    out[m[1]!] = selected ? selected[1]! : (/<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '')
  }
  return out
}

export async function get(t: TestApp, cookie: string, path: string): Promise<{ status: number; html: string }> {
  const res = await t.request(path, { headers: { cookie } })
  return { status: res.status, html: await res.text() }
}

/** Accepts the mapping the page proposes (remembered or guessed), with `change` on top. */
export async function acceptMapping(t: TestApp, cookie: string, id: string, change: Record<string, string> = {}) {
  const page = await get(t, cookie, `/import/${id}/mapping`)
  expect(page.status).toBe(200)
  const res = await t.request(`/import/${id}/mapping`, formPost({ ...selectedValues(page.html), ...change }, cookie))
  expect(res.status, await res.clone().text()).toBe(303)
  return page.html
}

/** Runs the import as a browser without JavaScript would and waits for it to finish; returns the report's path. */
export async function run(t: TestApp, cookie: string, id: string, choices: Record<string, string> = {}): Promise<string> {
  const res = await t.request(`/import/${id}/run`, formPost(choices, cookie))
  expect(res.status, await res.clone().text()).toBe(303)
  const location = res.headers.get('location')!
  await settled(t, location)
  return location
}

/** Waits while the import (or its undo) of the report at `reportPath` is under way; returns its status. */
export async function settled(t: TestApp, reportPath: string, timeoutMs = 60_000): Promise<string> {
  const id = reportPath.split('/').pop()!
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { status } = await t.db.selectFrom('import_reports').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    if (status !== 'running' && status !== 'undoing') return status
    if (Date.now() > deadline) throw new Error(`import still ${status}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Upload, accept the proposed mapping, run: the whole way with the defaults. */
export async function importFile(t: TestApp, cookie: string, entity: string, content: string | Uint8Array, choices: Record<string, string> = {}) {
  const id = await upload(t, cookie, entity, content)
  await acceptMapping(t, cookie, id)
  const reportPath = await run(t, cookie, id, choices)
  return { id, reportPath, report: (await get(t, cookie, reportPath)).html }
}

export async function countRows(t: TestApp, table: 'organisations' | 'contacts' | 'audit_log' | 'affiliations'): Promise<number> {
  const row = await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The number shown after a label in a <dl> of counts. */
export function countAfter(html: string, label: string): number {
  const m = new RegExp(`<dt>${label}</dt><dd>(\\d+)</dd>`).exec(html)
  expect(m, `no count for ${label}`).toBeTruthy()
  return Number(m![1])
}
