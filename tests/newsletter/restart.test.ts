import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Outreach } from '../../src/newsletter/outreach.ts'
import { jsonRequest } from '../helpers/app.ts'
import { outreachApp, subscribers, until } from './helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

describe('a restart in the middle of a send', () => {
  let t: App
  let next: Outreach | undefined
  beforeAll(async () => {
    // A slow mail server, so that the send is still going when the instance stops.
    t = await outreachApp({ delayMs: 15 })
  }, 120_000)
  afterAll(async () => {
    await next?.stop()
    await t.close()
  })

  it('sends nobody twice and nobody never', async () => {
    const headers = (await t.apiToken('editor')).headers
    const listId = (await (await t.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Nyhetsbrev' }, headers))).json()).id
    await subscribers(t.db, listId, 200)
    const issueId = (await (await t.request('/api/v1/newsletter/issues', jsonRequest('POST', { list_ids: [listId], subject: 'Mitt i', body: 'Text' }, headers))).json()).id
    expect((await t.request(`/api/v1/newsletter/issues/${issueId}/send`, jsonRequest('POST', {}, headers))).status).toBe(202)

    await t.smtp.waitFor(30, 60_000)
    await t.outreach!.stop()
    const atStop = t.smtp.received.length
    expect(atStop).toBeLessThan(200)
    const progress = await (await t.request(`/api/v1/newsletter/issues/${issueId}`, { headers })).json()
    expect(progress.status).toBe('sending')
    expect(progress.progress.sent).toBe(atStop)

    // The app comes back (a new instance on the same database) and finishes the send.
    next = await t.instance()
    await t.smtp.waitFor(200, 120_000)
    const done = await until(async () => {
      const i = await (await t.request(`/api/v1/newsletter/issues/${issueId}`, { headers })).json()
      return i.status === 'sent' && i
    }, 60_000)
    await new Promise((r) => setTimeout(r, 500))
    expect(t.smtp.received).toHaveLength(200)
    expect(new Set(t.smtp.received.map((m) => m.envelope.to[0])).size).toBe(200)
    expect(done.progress).toEqual({ total: 200, sent: 200, pending: 0, failed: 0 })
    const activity = await (await t.request(`/api/v1/activities/${done.activity_id}`, { headers })).json()
    expect(activity.participants).toHaveLength(200)
  }, 240_000)
})
