import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest, testApp } from '../helpers/app.ts'

type App = Awaited<ReturnType<typeof testApp>>

describe('the check-in list', () => {
  let t: App
  let headers: Record<string, string>
  let editor: string
  const people: string[] = []

  beforeAll(async () => {
    t = await testApp()
    headers = (await t.apiToken('editor')).headers
    editor = (await t.browser('editor')).cookie
    const org = await (await t.request('/api/v1/organisations', jsonRequest('POST', { name: 'Länsstyrelsen i Skåne', kind: 'county_board', county: 'Skåne län' }, headers))).json()
    for (const [first, last] of [['Anna', 'Berg'], ['Bo', 'Ek'], ['Cecilia', 'Lund']]) {
      const affiliations = first === 'Anna' ? [{ organisation_id: org.id, primary: true }] : []
      people.push((await (await t.request('/api/v1/contacts', jsonRequest('POST', { first_name: first, last_name: last, affiliations }, headers))).json()).id)
    }
  })
  afterAll(() => t.close())

  async function event(start: string) {
    const participants = people.map((contact_id, i) => ({ contact_id, attendance: i === 2 ? 'invited' : 'registered' }))
    const res = await t.request('/api/v1/activities', jsonRequest('POST', { title: 'Workshop i Malmö', type: 'workshop', start_date: start, participants }, headers))
    return res.json()
  }

  it('lists the registered, and a tap marks one attended with an htmx fragment that updates the count', async () => {
    const a = await event('2099-01-15')
    const page = await t.request(`/activities/${a.id}/check-in`, { headers: { cookie: editor } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Anna Berg')
    expect(html).toContain('Bo Ek')
    expect(html).not.toContain('Cecilia Lund')
    expect(html).toContain('0 av 2 har kommit')
    // Who is who at the door: the current organisation and county beside the name.
    expect(html).toContain('Länsstyrelsen i Skåne, Skåne län')
    expect(html).toContain('Har kommit<span class="visually-hidden">: Anna Berg</span>')

    const anna = a.participants.find((p: { contact_id: string }) => p.contact_id === people[0])
    const post = formPost({ attendance: 'attended' }, editor)
    const res = await t.request(`/activities/${a.id}/check-in/${anna.id}`, { ...post, headers: { ...(post.headers as Record<string, string>), 'hx-request': 'true' } })
    expect(res.status).toBe(200)
    const fragment = await res.text()
    expect(fragment).toContain(`id="p-${anna.id}"`)
    expect(fragment).toContain('Närvarande')
    expect(fragment).toContain('hx-swap-oob="true"')
    expect(fragment).toContain('1 av 2 har kommit')
    expect(fragment).not.toContain('<html')
    const after = await (await t.request(`/api/v1/activities/${a.id}`, { headers })).json()
    expect(after.participants.find((p: { id: string }) => p.id === anna.id).attendance).toBe('attended')

    // Without script the form posts and comes back to the list; undo takes the mark back.
    const undo = await t.request(`/activities/${a.id}/check-in/${anna.id}`, formPost({ attendance: 'registered' }, editor))
    expect(undo.status).toBe(303)
    expect(undo.headers.get('location')).toBe(`/activities/${a.id}/check-in#p-${anna.id}`)
    const undone = await (await t.request(`/api/v1/activities/${a.id}`, { headers })).json()
    expect(undone.participants.find((p: { id: string }) => p.id === anna.id).attendance).toBe('registered')
  })

  it('after the event those who did not come stay visible, as such', async () => {
    const a = await event('2020-01-15')
    const bo = a.participants.find((p: { contact_id: string }) => p.contact_id === people[1])
    await t.request(`/activities/${a.id}/check-in/${bo.id}`, formPost({ attendance: 'attended' }, editor))
    const html = await (await t.request(`/activities/${a.id}/check-in`, { headers: { cookie: editor } })).text()
    expect(html).toContain('Kom inte')
    const noShows = html.slice(html.indexOf('id="no-shows-h"'))
    expect(noShows).toContain('Anna Berg')
    expect(noShows).not.toContain('Bo Ek')
  })

  it('a viewer sees the list but cannot mark; a crafted value or a stranger is refused', async () => {
    const a = await event('2099-02-01')
    const viewer = (await t.browser('viewer')).cookie
    const html = await (await t.request(`/activities/${a.id}/check-in`, { headers: { cookie: viewer } })).text()
    expect(html).toContain('Anna Berg')
    expect(html).not.toContain('hx-post')
    const anna = a.participants.find((p: { contact_id: string }) => p.contact_id === people[0])
    expect((await t.request(`/activities/${a.id}/check-in/${anna.id}`, formPost({ attendance: 'attended' }, viewer))).status).toBe(403)
    expect((await t.request(`/activities/${a.id}/check-in/${anna.id}`, formPost({ attendance: 'received' }, editor))).status).toBe(400)
    const cecilia = a.participants.find((p: { contact_id: string }) => p.contact_id === people[2])
    expect((await t.request(`/activities/${a.id}/check-in/${cecilia.id}`, formPost({ attendance: 'attended' }, editor))).status).toBe(400)
    expect((await t.request(`/activities/${a.id}/check-in/${crypto.randomUUID()}`, formPost({ attendance: 'attended' }, editor))).status).toBe(404)
  })
})
