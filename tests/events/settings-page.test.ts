import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp } from '../helpers/app.ts'

type App = Awaited<ReturnType<typeof testApp>>

describe('the registration settings page', () => {
  let t: App
  let headers: Record<string, string>
  let editor: string
  beforeAll(async () => {
    t = await testApp()
    headers = (await t.apiToken('editor')).headers
    editor = (await t.browser('editor')).cookie
  })
  afterAll(() => t.close())

  it('saves open, capacity, deadline and questions from the form, with errors beside the question row', async () => {
    const a = await (await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Kurs i mottagande', type: 'course', start_date: '2099-04-01', participants: [] }, headers))).json()
    const page = await t.request(`/activities/${a.id}/registration`, { headers: { cookie: editor } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Anmälan är inte inställd ännu.')

    const bad = await t.request(`/activities/${a.id}/registration`, formPost({ open: 'on', capacity: '30', q2_label: 'Pass', q2_kind: 'choice', q2_options: 'Bara ett' }, editor))
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain('id="f-q2_options-error"')
    expect(html).toContain('Ange minst två alternativ.')

    const ok = await t.request(`/activities/${a.id}/registration`, formPost({
      open: 'on', capacity: '30', deadline: '2099-03-20', q0_label: 'Specialkost', q0_kind: 'text', q2_label: 'Pass', q2_kind: 'choice', q2_options: 'Förmiddag; Eftermiddag', q2_required: 'on',
    }, editor))
    expect(ok.status).toBe(303)
    const saved = (await (await t.request(`/api/v1/activities/${a.id}/registration`, { headers })).json()).settings
    expect(saved).toMatchObject({ open: true, capacity: 30, deadline: '2099-03-20', version: 1 })
    expect(saved.questions.map((q: { label: string; kind: string; options: string[]; required: boolean }) => [q.label, q.kind, q.options, q.required]))
      .toEqual([['Specialkost', 'text', [], false], ['Pass', 'choice', ['Förmiddag', 'Eftermiddag'], true]])

    // Saving again without the version read is a conflict, not an overwrite.
    const stale = await t.request(`/activities/${a.id}/registration`, formPost({ open: '', capacity: '5' }, editor))
    expect(stale.status).toBe(409)
    expect((await (await t.request(`/api/v1/activities/${a.id}/registration`, { headers })).json()).settings.capacity).toBe(30)
  })

  it('a report or newsletter takes no registrations', async () => {
    const a = await (await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Årsrapport', type: 'report', participants: [] }, headers))).json()
    const res = await t.request(`/api/v1/activities/${a.id}/registration`, jsonRequest('PUT', { open: true }, headers))
    expect(res.status).toBe(400)
  })
})
