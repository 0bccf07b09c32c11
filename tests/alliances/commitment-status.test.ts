import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'
import { apiOf, day } from './helpers.ts'

let t: TestApp
let editor: Awaited<ReturnType<TestApp['browser']>>
let viewer: Awaited<ReturnType<TestApp['browser']>>
let h: ReturnType<typeof apiOf>
beforeAll(async () => {
  t = await testApp()
  editor = await t.browser('editor')
  viewer = await t.browser('viewer')
  h = apiOf(t, await t.apiToken('editor'))
})
afterAll(() => t.close())

const page = (path: string, cookie = editor.cookie) => t.request(path, { headers: { cookie } })
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}, cookie = editor.cookie) => {
  const init = formPost(fields, cookie)
  return t.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } })
}
const HTMX = { 'hx-request': 'true' }

async function allianceWithCommitment(name: string) {
  const org = await h.organisation(`${name} org`)
  const a = await h.alliance({
    name, members: [{ organisation_id: org.id, role: 'lead' }],
    commitments: [{ organisation_id: org.id, description: `${name}: skicka underlag`, due_date: day(-3) }],
  })
  return { a, k: a.commitments[0] as { id: string }, path: `/alliances/${a.id}/commitments/${a.commitments[0].id}/status` }
}

describe('a commitment’s status changed inline', () => {
  it('offers an editor a small status form per commitment on the alliance page and on the dashboard, a viewer none', async () => {
    const { a, k, path } = await allianceWithCommitment('Inline-alliansen')
    const detail = await (await page(`/alliances/${a.id}`)).text()
    expect(detail).toContain(`hx-post="${path}"`)
    expect(detail).toMatch(new RegExp(`<select id="cs-detail-${k.id}-s" name="status"`))
    const dash = (await (await page('/')).text()).split('id="alliance-overdue-list"')[1]!.split('</ul>')[0]!
    expect(dash).toContain(`hx-post="${path}"`)
    expect(dash).toContain('<input type="hidden" name="from" value="dashboard">')
    expect(await (await page(`/alliances/${a.id}`, viewer.cookie)).text()).not.toContain(`hx-post="${path}"`)
    expect((await post(path, { status: 'done', version: String(a.version) }, HTMX, viewer.cookie)).status).toBe(403)
  })

  it('saves the status with htmx, answers the form again saying so, raises the alliance’s version and audits it', async () => {
    const { a, k, path } = await allianceWithCommitment('Sparalliansen')
    const res = await post(path, { status: 'done', version: String(a.version), from: 'detail' }, HTMX)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.headers.get('hx-trigger')!)).toEqual({ 'alliance-version': { id: a.id, version: a.version + 1 } })
    const html = await res.text()
    expect(html).toContain('Sparat: Klart.')
    expect(html).toContain(`<input type="hidden" name="version" value="${a.version + 1}" data-alliance-version="${a.id}">`)
    const stored = await h.get(`/api/v1/alliances/${a.id}`)
    expect(stored.version).toBe(a.version + 1)
    expect(stored.commitments[0]).toMatchObject({ id: k.id, status: 'done' })
    expect(stored.commitments[0].done_at).toBeTruthy()
    const audit = await t.db.selectFrom('audit_log').select(['action', 'changes']).where('entity_id', '=', a.id).where('action', '=', 'update').execute()
    expect(audit).toHaveLength(1)
    expect(JSON.stringify(audit[0]!.changes)).toContain('"status":"done"')
    // The dashboard no longer lists it as overdue.
    const dash = (await (await page('/')).text()).split('id="alliance-overdue-h"')[1]!.split('</section>')[0]!
    expect(dash).not.toContain('Sparalliansen: skicka underlag')
  })

  it('refuses a change made on a stale page with 409, says what is stored now and keeps the user’s choice', async () => {
    const { a, k, path } = await allianceWithCommitment('Krockalliansen')
    // Someone else drops it meanwhile.
    expect((await post(path, { status: 'dropped', version: String(a.version) }, HTMX)).status).toBe(200)
    const res = await post(path, { status: 'done', version: String(a.version), from: 'dashboard' }, HTMX)
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('Alliansen har ändrats av någon annan sedan sidan öppnades. Åtagandet är nu: Struket.')
    expect(html).toContain('<option value="done" selected>Klart</option>')
    expect(html).toContain(`value="${a.version + 1}" data-alliance-version="${a.id}"`)
    expect(html).toContain('aria-invalid="true"')
    expect((await h.get(`/api/v1/alliances/${a.id}`)).commitments[0]).toMatchObject({ id: k.id, status: 'dropped' })
    // Without script the same answer is a page of its own, with the way back.
    const plain = await post(path, { status: 'done', version: String(a.version), from: 'dashboard' })
    expect(plain.status).toBe(409)
    expect(await plain.text()).toContain('<a href="/">Tillbaka</a>')
  })

  it('goes back where it came from without script, and refuses crafted input with 4xx', async () => {
    const { a, k, path } = await allianceWithCommitment('Utanskript')
    const res = await post(path, { status: 'done', version: String(a.version), from: 'dashboard' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/')
    expect((await post(path, { status: 'finished', version: String(a.version + 1) })).status).toBe(400)
    expect((await post(path, { status: 'done', version: 'x' })).status).toBe(400)
    const other = await allianceWithCommitment('Annan')
    expect((await post(`/alliances/${a.id}/commitments/${other.k.id}/status`, { status: 'done', version: String(a.version + 1) })).status).toBe(404)
    expect((await post(`/alliances/${a.id}/commitments/${k.id}/status`, { status: 'open', version: String(a.version + 1), from: 'detail' })).headers.get('location'))
      .toBe(`/alliances/${a.id}#commitment-${k.id}`)
  })
})
