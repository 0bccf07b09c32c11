import { parse as parseCsv } from 'csv-parse/sync'
import { MultiGraph } from 'graphology'
import gexfModule from 'graphology-gexf'
import graphmlModule from 'graphology-graphml'
import ical from 'node-ical'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, type TestApp } from '../helpers/app.ts'
import { privacyApp, type Api, type Who } from './helpers.ts'
import { pageWithSections } from '../helpers/sections.ts'

const gexf = gexfModule as unknown as typeof import('graphology-gexf')
const graphml = graphmlModule as unknown as typeof import('graphology-graphml')

let t: TestApp
let viewer: Who
let editor: Who
let admin: Who
let api: Api
const people: Record<'shielded' | 'held' | 'open', { id: string }> = {} as never
let org: { id: string }
let plan: { id: string }
let activity: { id: string }
const HIDDEN = ['Skyddsson', 'Begränsadsson', 'pia.skyddsson@example.se', 'rolf.begransadsson@example.se']

beforeAll(async () => {
  ;({ t, editor, admin, api } = await privacyApp())
  viewer = await t.apiToken('viewer')
  org = await api.ok(editor, 'POST', '/api/v1/organisations', { name: 'Synlighetskommunen', kind: 'municipality', county: 'Kalmar län' })
  const person = (first: string, last: string, extra: object = {}) =>
    api.ok(editor, 'POST', '/api/v1/contacts', {
      first_name: first, last_name: last, email: `${first}.${last}`.toLowerCase().replace('ä', 'a') + '@example.se', categories: ['official'],
      affiliations: [{ organisation_id: org.id, role: 'Handläggare' }], ...extra,
    })
  people.shielded = await person('Pia', 'Skyddsson', { protected_identity: true })
  people.held = await person('Rolf', 'Begränsadsson')
  people.open = await person('Vera', 'Synligsson')
  await api.ok(admin, 'POST', `/api/v1/contacts/${people.held.id}/erase`, { confirm: 'Rolf Begränsadsson', mode: 'restrict' }, 200)
  const today = new Date().toISOString().slice(0, 10)
  activity = await api.ok(editor, 'POST', '/api/v1/activities', {
    title: 'Samrådsmöte', type: 'meeting', status: 'planned', start_date: today,
    participants: Object.values(people).map((p) => ({ contact_id: p.id, role: 'participant', attendance: 'invited' })),
  })
  plan = await api.ok(editor, 'POST', '/api/v1/plans', { name: 'Nå tjänstemännen', status: 'active', target: { filter: { categories: ['official'] } } })
})
afterAll(() => t.close())

const ids = (list: { id: string }[]) => list.map((x) => x.id)

describe('protected identity and restricted processing', () => {
  it('contact list and record: viewers see neither, editors the protected one, admins both', async () => {
    const seen = async (who: Who) => ids((await api.ok(who, 'GET', '/api/v1/contacts?limit=200')).data)
    expect(await seen(viewer)).toEqual([people.open.id])
    expect((await seen(editor)).sort()).toEqual([people.open.id, people.shielded.id].sort())
    expect((await seen(admin)).sort()).toEqual(Object.values(people).map((p) => p.id).sort())
    expect((await api.call(viewer, 'GET', `/api/v1/contacts/${people.shielded.id}`)).status).toBe(404)
    expect((await api.call(editor, 'GET', `/api/v1/contacts/${people.held.id}`)).status).toBe(404)
    expect((await api.call(editor, 'PATCH', `/api/v1/contacts/${people.held.id}`, { version: 1, title: 'x' })).status).toBe(404)
    expect((await api.call(editor, 'DELETE', `/api/v1/contacts/${people.held.id}`)).status).toBe(404)
    const browser = await t.browser('viewer')
    expect((await t.request(`/contacts/${people.shielded.id}`, { headers: { cookie: browser.cookie } })).status).toBe(404)
  })

  it('every view of a protected record is audited', async () => {
    const before = (await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${people.shielded.id}&limit=200`)).data.filter((a: { action: string }) => a.action === 'view').length
    await api.ok(editor, 'GET', `/api/v1/contacts/${people.shielded.id}`)
    const editorBrowser = await t.browser('editor')
    expect((await t.request(`/contacts/${people.shielded.id}`, { headers: { cookie: editorBrowser.cookie } })).status).toBe(200)
    const views = (await api.ok(admin, 'GET', `/api/v1/audit?entity_id=${people.shielded.id}&limit=200`)).data.filter((a: { action: string }) => a.action === 'view')
    expect(views.length).toBe(before + 2)
    expect(views.map((v: { user_id: string }) => v.user_id)).toContain(editor.user.id)
  })

  it('no CSV export holds them, even an admin\'s', async () => {
    const res = await api.call(admin, 'GET', '/api/v1/contacts?format=csv')
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''), { columns: true, delimiter: [',', ';'] }) as { id: string }[]
    expect(ids(rows)).toEqual([people.open.id])
  })

  it('no GraphML, GEXF or network CSV holds them, and the graph shows them to no viewer', async () => {
    for (const format of ['graphml', 'gexf', 'csv']) {
      const text = await (await api.call(admin, 'GET', `/api/v1/network?types=organisation,contact&format=${format}`)).text()
      expect(HIDDEN.filter((n) => text.includes(n)), format).toEqual([])
      expect(text).toContain('Synligsson')
      if (format !== 'csv') {
        const g = (format === 'graphml' ? graphml : gexf).parse(MultiGraph, text)
        expect(g.hasNode(people.shielded.id) || g.hasNode(people.held.id)).toBe(false)
        expect(g.hasNode(people.open.id)).toBe(true)
      }
    }
    const forViewer = await api.ok(viewer, 'GET', '/api/v1/network?types=organisation,contact&cluster=none')
    expect(forViewer.nodes.map((n: { id: string }) => n.id)).not.toContain(people.shielded.id)
    expect(forViewer.nodes.map((n: { id: string }) => n.id)).not.toContain(people.held.id)
    const forEditor = await api.ok(editor, 'GET', '/api/v1/network?types=organisation,contact&cluster=none')
    expect(forEditor.nodes.map((n: { id: string }) => n.id)).toContain(people.shielded.id)
    // Marked so that the page's PNG (a file) leaves the name out even for an editor.
    const node = (id: string) => forEditor.nodes.find((n: { id: string }) => n.id === id)
    expect(node(people.shielded.id).private).toBe(true)
    expect(node(people.open.id).private).toBeUndefined()
  })

  it('search finds them for no viewer; an editor finds the protected one but not the restricted one', async () => {
    const hits = async (who: Who, q: string) => ids((await api.ok(who, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}&types=contact`)).data)
    expect(await hits(viewer, 'Skyddsson')).toEqual([])
    expect(await hits(viewer, 'Begränsadsson')).toEqual([])
    expect(await hits(editor, 'Skyddsson')).toEqual([people.shielded.id])
    expect(await hits(editor, 'Begränsadsson')).toEqual([])
    expect(await hits(admin, 'Begränsadsson')).toEqual([people.held.id])
  })

  it('plan target groups (mailing and invitation lists) and participant lists leave them out', async () => {
    const progress = await api.ok(viewer, 'GET', `/api/v1/plans/${plan.id}/progress`)
    const targets = [...progress.reached, ...progress.not_reached].map((r: { id: string }) => r.id)
    expect(targets).toEqual([people.open.id])
    const page = await (await t.request(`/activities/${activity.id}`, { headers: { cookie: (await t.browser('admin')).cookie } })).text()
    expect(HIDDEN.filter((n) => page.includes(n))).toEqual([])
    expect(page).toContain('Synligsson')
    const orgPage = await (await pageWithSections(t.request, `/organisations/${org.id}`, { headers: { cookie: (await t.browser('viewer')).cookie } })).text()
    expect(orgPage).toContain('Synligsson')
    expect(HIDDEN.filter((n) => orgPage.includes(n))).toEqual([])
  })

  it('the calendar feed (ICS) and public pages hold none of them', async () => {
    const browser = await t.browser('viewer')
    const res = await t.request('/activities/calendar/subscribe', formPost({}, browser.cookie))
    const url = new URL(/id="f-feed-url" type="text" readonly value="([^"]+)"/.exec(await res.text())![1]!)
    const text = await (await t.request(url.pathname)).text()
    const events = Object.values(ical.sync.parseICS(text)).filter((e) => e?.type === "VEVENT")
    expect(events.length).toBeGreaterThan(0)
    expect(HIDDEN.filter((n) => text.includes(n))).toEqual([])
    for (const path of ['/ideas', '/login']) {
      const html = await (await t.request(path)).text()
      expect(HIDDEN.filter((n) => html.includes(n)), path).toEqual([])
    }
  })
})
