import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, jsonRequest } from '../helpers/app.ts'
import { outreachApp, until } from './helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

const linkIn = (text: string) => /http:\/\/localhost\/newsletter\/confirm\?token=([a-z2-7]{40})/.exec(text)

describe('newsletter sign-up with double opt-in', () => {
  let t: App
  let headers: Record<string, string>
  let listId: string
  let otherListId: string

  beforeAll(async () => {
    t = await outreachApp()
    headers = (await t.apiToken('editor')).headers
    const a = await t.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Nyhetsbrev asyl & integration', description: 'Varje månad' }, headers))
    expect(a.status).toBe(201)
    listId = (await a.json()).id
    const b = await t.request('/api/v1/newsletter/lists', jsonRequest('POST', { name: 'Inbjudningar' }, headers))
    otherListId = (await b.json()).id
  })
  afterAll(() => t.close())

  const subscribersOf = async (id: string) => (await (await t.request(`/api/v1/newsletter/lists/${id}/subscribers`, { headers })).json()).data

  it('shows the public form and archive without a login, in Swedish and English', async () => {
    const sv = await t.request('/newsletter')
    expect(sv.status).toBe(200)
    const html = await sv.text()
    expect(html).toContain('Prenumerera')
    expect(html).toContain('Nyhetsbrev asyl &amp; integration')
    expect(html).toContain('Tidigare utgivna nyhetsbrev')
    const en = await (await t.request('/newsletter', { headers: { 'accept-language': 'en' } })).text()
    expect(en).toContain('Earlier issues')
  })

  it('subscribes only after the link in the e-mail is confirmed by POST', async () => {
    const res = await t.request('/newsletter/subscribe', formPost({ name: 'Anna Berg', email: 'anna.berg@example.org', organisation: 'Länsstyrelsen', list_ids: listId }))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Bekräfta din prenumeration')
    expect((await subscribersOf(listId))[0]).toMatchObject({ email: 'anna.berg@example.org', status: 'pending', confirmed_at: null })

    const [mail] = await t.smtp.waitFor(1)
    expect(mail!.envelope.to).toEqual(['anna.berg@example.org'])
    const match = linkIn(mail!.mail.text ?? '')
    expect(match).not.toBeNull()

    // Opening the link (what a link scanner does) confirms nothing: it shows a form.
    const page = await t.request(`/newsletter/confirm?token=${match![1]}`)
    const html = await page.text()
    expect(html).toContain('action="/newsletter/confirm"')
    expect(html).toContain('src="/static/js/auto-submit.js"')
    expect((await subscribersOf(listId))[0].status).toBe('pending')

    const confirmed = await t.request('/newsletter/confirm', formPost({ token: match![1]! }))
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('Din prenumeration är bekräftad')
    const [sub] = await subscribersOf(listId)
    expect(sub.status).toBe('subscribed')
    expect(sub.confirmed_at).toMatch(/^\d{4}-/)

    // The consent record keeps the exact text agreed to, per list.
    const admin = (await t.apiToken('admin')).headers
    const consents = await (await t.request(`/api/v1/contacts/${sub.contact_id}/consents`, { headers: admin })).json()
    expect(consents.data).toHaveLength(1)
    expect(consents.data[0]).toMatchObject({ purpose: `newsletter:${listId}`, method: 'form' })
    expect(consents.data[0].text).toContain('Jag vill få de valda utskicken')

    // A second use of the same link still says it worked.
    const again = await t.request('/newsletter/confirm', formPost({ token: match![1]! }))
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('Din prenumeration är bekräftad')
  })

  it('creates the person as a recipient contact, and matches a known address instead of duplicating it', async () => {
    const found = await (await t.request('/api/v1/contacts?q=anna.berg', { headers })).json()
    expect(found.data).toHaveLength(1)
    expect(found.data[0]).toMatchObject({ first_name: 'Anna', last_name: 'Berg', categories: ['recipient'] })

    await t.request('/newsletter/subscribe', formPost({ name: 'Anna B', email: 'ANNA.BERG@example.org', list_ids: otherListId }))
    await t.smtp.waitFor(2)
    const again = await (await t.request('/api/v1/contacts?q=anna.berg', { headers })).json()
    expect(again.data).toHaveLength(1)
    expect((await subscribersOf(otherListId))[0]).toMatchObject({ contact_id: found.data[0].id, status: 'pending' })
  })

  it('refuses a bad or unknown token, and an empty form shows the errors next to the fields', async () => {
    const bad = await t.request('/newsletter/confirm', formPost({ token: 'x'.repeat(40) }))
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Länken är ogiltig')
    const unknown = await t.request('/newsletter/confirm', formPost({ token: 'a'.repeat(40) }))
    expect(unknown.status).toBe(400)

    const empty = await t.request('/newsletter/subscribe', { ...formPost({ name: '', email: 'nope' }), headers: { ...formPost({}).headers as Record<string, string>, 'accept-language': 'en' } })
    expect(empty.status).toBe(422)
    const html = await empty.text()
    expect(html).toContain('Choose at least one newsletter.')
    expect(html).toContain('id="f-email-error"')
    const sent = t.smtp.received.length
    await new Promise((r) => setTimeout(r, 300))
    expect(t.smtp.received.length).toBe(sent)
  })

  it('an expired link says so and subscribes nobody', async () => {
    await t.request('/newsletter/subscribe', formPost({ name: 'Bo Ek', email: 'bo.ek@example.org', list_ids: listId }))
    const mails = await t.smtp.waitFor(3)
    const token = linkIn(mails.at(-1)!.mail.text ?? '')![1]!
    await t.db.updateTable('mail_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('used_at', 'is', null).execute()
    const res = await t.request('/newsletter/confirm', formPost({ token }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Länken har gått ut')
    const bo = await until(async () => (await subscribersOf(listId)).find((s: { email: string }) => s.email === 'bo.ek@example.org'))
    expect(bo.status).toBe('pending')
  })

  it('a link to a person erased before confirming has expired, and records no consent', async () => {
    const before = t.smtp.received.length
    await t.request('/newsletter/subscribe', formPost({ name: 'Cilla Raderad', email: 'cilla.raderad@example.org', list_ids: listId }))
    const mail = (await t.smtp.waitFor(before + 1)).find((m) => m.envelope.to.includes('cilla.raderad@example.org'))
    const token = linkIn(mail?.mail.text ?? '')![1]!
    const admin = (await t.apiToken('admin')).headers
    const found = await (await t.request('/api/v1/contacts?q=cilla.raderad%40example.org', { headers: admin })).json()
    const id = found.data[0].id as string
    const decision = await (await t.request('/api/v1/retention/decisions', jsonRequest('POST', {
      reference: 'Dnr 2026/77', title: 'Gallring', decided_on: '2026-01-15', covers: 'Kontaktpersoner', retention_period: '3 år',
    }, admin))).json()
    const erased = await t.request(`/api/v1/contacts/${id}/erase`, jsonRequest('POST', { confirm: 'Cilla Raderad', mode: 'anonymise', decision_id: decision.id }, admin))
    expect(erased.status).toBe(200)
    const res = await t.request('/newsletter/confirm', formPost({ token }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Länken har gått ut')
    expect((await (await t.request(`/api/v1/contacts/${id}/consents`, { headers: admin })).json()).data).toEqual([])
  })
})
