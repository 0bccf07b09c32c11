import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Outreach } from '../../src/newsletter/outreach.ts'
import { jsonRequest } from '../helpers/app.ts'
import { rawHeader } from '../helpers/smtp.ts'
import { outreachApp, subscribers, until } from './helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

describe('sending an issue to 500 subscribers', () => {
  let t: App
  let second: Outreach
  let headers: Record<string, string>
  let listId: string
  let issueId: string
  let planId: string

  beforeAll(async () => {
    t = await outreachApp()
    // A second app instance on the same database: both take jobs from the one queue.
    second = await t.instance()
    headers = (await t.apiToken('editor')).headers
    listId = (await (await t.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Nyhetsbrev' }, headers))).json()).id
    await subscribers(t.db, listId, 500)
    // A person with a protected identity is subscribed too, but never receives mailings.
    await subscribers(t.db, listId, 1, 'skyddad')
    await t.db.updateTable('contacts').set({ protected_identity: true }).where('email', 'like', 'skyddad%').execute()
    const plan = await t.request('/api/v1/plans', jsonRequest('POST', { name: 'Nå mottagarna', status: 'active', target: { filter: { categories: ['recipient'] } } }, headers))
    expect(plan.status).toBe(201)
    planId = (await plan.json()).id
  }, 120_000)
  afterAll(async () => {
    await second.stop()
    await t.close()
  })

  it('sends each subscriber one copy with unsubscribe headers and a VERP return path', async () => {
    const before = await (await t.request(`/api/v1/plans/${planId}/progress`, { headers })).json()
    expect(before.reached_count).toBe(0)

    const created = await t.request('/api/v1/newsletter/issues', jsonRequest('POST', { list_ids: [listId], subject: 'Nyhetsbrev december', body: 'Hej!\n\nLäs mer på https://example.se/nytt' }, headers))
    expect(created.status).toBe(201)
    issueId = (await created.json()).id
    const sent = await t.request(`/api/v1/newsletter/issues/${issueId}/send`, jsonRequest('POST', {}, headers))
    expect(sent.status).toBe(202)

    const mails = await t.smtp.waitFor(500, 120_000)
    const issue = await until(async () => {
      const i = await (await t.request(`/api/v1/newsletter/issues/${issueId}`, { headers })).json()
      return i.status === 'sent' && i
    }, 60_000)
    expect(issue.progress).toEqual({ total: 500, sent: 500, pending: 0, failed: 0 })
    await new Promise((r) => setTimeout(r, 500))
    expect(t.smtp.received).toHaveLength(500)
    const recipients = new Set(mails.map((m) => m.envelope.to[0]))
    expect(recipients.size).toBe(500)
    expect([...recipients].some((r) => r?.startsWith('skyddad'))).toBe(false)

    const m = mails[0]!
    expect(m.mail.subject).toBe('Nyhetsbrev december')
    expect(m.envelope.from).toMatch(/^bounce\+[a-z2-7]{40}@example\.se$/)
    const listUnsubscribe = rawHeader(m.raw, 'List-Unsubscribe')
    expect(listUnsubscribe).toMatch(/<http:\/\/localhost\/newsletter\/unsubscribe\/[a-z2-7]{40}>/)
    expect(listUnsubscribe).toMatch(/<mailto:unsubscribe\+[a-z2-7]{40}@example\.se\?subject=unsubscribe>/)
    expect(rawHeader(m.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
  }, 180_000)

  it('records the issue as a newsletter activity with 500 received participants, and the plan progress moves', async () => {
    const issue = await (await t.request(`/api/v1/newsletter/issues/${issueId}`, { headers })).json()
    const activity = await (await t.request(`/api/v1/activities/${issue.activity_id}`, { headers })).json()
    expect(activity).toMatchObject({ type: 'newsletter', status: 'done', title: 'Nyhetsbrev december' })
    expect(activity.participants).toHaveLength(500)
    expect(activity.participants.every((p: { attendance: string }) => p.attendance === 'received')).toBe(true)
    const progress = await (await t.request(`/api/v1/plans/${planId}/progress`, { headers })).json()
    expect(progress.reached_count).toBe(500)
  })

  it('unsubscribes at once by the one-click POST, with no cookie and from no page of ours', async () => {
    const m = t.smtp.received[0]!
    const url = /<(http:\/\/localhost\/newsletter\/unsubscribe\/[a-z2-7]{40})>/.exec(rawHeader(m.raw, 'List-Unsubscribe'))![1]!
    const res = await t.request(url.replace('http://localhost', ''), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.provider.example', 'sec-fetch-site': 'cross-site' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(res.status).toBe(200)
    const subs = await (await t.request(`/api/v1/newsletter/lists/${listId}/subscribers?q=${encodeURIComponent(m.envelope.to[0]!)}`, { headers })).json()
    const who = subs.data.find((s: { email: string }) => s.email === m.envelope.to[0])
    expect(who.status).toBe('unsubscribed')

    // Other unsafe requests from another site are still refused.
    const forged = await t.request(`/api/v1/newsletter/lists`, { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })
    expect(forged.status).toBe(403)
  })

  it('the GET page offers leaving one list or all, and changes nothing by itself', async () => {
    const m = t.smtp.received[1]!
    const path = /<http:\/\/localhost(\/newsletter\/unsubscribe\/[a-z2-7]{40})>/.exec(rawHeader(m.raw, 'List-Unsubscribe'))![1]!
    const page = await (await t.request(path)).text()
    expect(page).toContain('Avsluta Nyhetsbrev')
    expect(page).toContain('Inga massutskick alls från oss')
    const all = await t.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' }, body: 'scope=all' })
    expect(all.status).toBe(200)
    expect(await all.text()).toContain('Du får inga fler massutskick')
    const subs = await (await t.request(`/api/v1/newsletter/lists/${listId}/subscribers?q=${encodeURIComponent(m.envelope.to[0]!)}`, { headers })).json()
    expect(subs.data.find((s: { email: string }) => s.email === m.envelope.to[0]).status).toBe('unsubscribed')
  })

  it('an unknown token is a 404, not an error', async () => {
    expect((await t.request(`/newsletter/unsubscribe/${'a'.repeat(40)}`)).status).toBe(404)
    expect((await t.request(`/newsletter/unsubscribe/${'a'.repeat(40)}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404)
  })
})
