import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, ORIGIN } from '../helpers/app.ts'
import { ENGINE } from '../helpers/engines.ts'
import { outreachApp, subscribers, until } from './helpers.ts'

type App = Awaited<ReturnType<typeof outreachApp>>

describe('composing an issue: sections with links, preview, a test to yourself, then the send', () => {
  let t: App
  let browser: Awaited<ReturnType<App['browser']>>
  let listId: string
  let product: { id: string }
  let idea: { id: string }
  let activity: { id: string }
  let at: string

  const post = (path: string, fields: [string, string][]) =>
    t.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'sec-fetch-site': 'same-origin', cookie: browser.cookie },
      body: new URLSearchParams(fields).toString(),
    })
  const page = async (path: string) => {
    const res = await t.request(path, { headers: { cookie: browser.cookie } })
    return { status: res.status, html: await res.text() }
  }

  beforeAll(async () => {
    t = await outreachApp()
    const headers = (await t.apiToken('editor')).headers
    const make = async (path: string, body: object) => (await t.request(path, jsonRequest('POST', body, headers))).json()
    browser = await t.browser('editor')
    listId = (await make('/api/v1/newsletter/lists', { name: 'Nyhetsbrev asyl & integration' })).id
    await subscribers(t.db, listId, 2, 'läsare')
    product = await make('/api/v1/products', { title: 'Handbok för mottagande', kind: 'manual', url: 'https://example.se/handbok' })
    idea = await make('/api/v1/products', { title: 'Hälsokommunikatörer', kind: 'method', public: true, summary: 'Utrikes födda med vårdutbildning informerar nyanlända. Mer text.' })
    activity = await make('/api/v1/activities', { title: 'Länsträff i Falun', type: 'seminar', status: 'planned', start_date: '2027-02-10', location: 'Falun' })
  }, 120_000)
  afterAll(() => t.close())

  it('saves a composed issue and previews it as recipients will see it', async () => {
    const form = await page('/newsletter/compose')
    expect(form.status).toBe(200)
    expect(form.html).toContain('Handbok för mottagande')
    const invalid = await post('/newsletter/compose', [['subject', 'Tomt']])
    expect(invalid.status).toBe(422)
    const saved = await post('/newsletter/compose', [
      ['subject', 'Nyhetsbrev februari'], ['intro', 'Hej!\n\nHär är månadens nyheter.'],
      ['sections.0.heading', 'Nytt material'], ['sections.0.text', 'Två tips <b>från</b> nätverket.'],
      ['sections.0.product_ids', product.id], ['sections.0.idea_ids', idea.id], ['sections.0.activity_ids', activity.id],
      ['list_ids', listId],
    ])
    expect(saved.status).toBe(303)
    at = saved.headers.get('location')!
    expect(at).toMatch(/^\/newsletter\/compose\/[0-9a-f-]{36}$/)
    const preview = await page(at)
    expect(preview.status).toBe(200)
    expect(preview.html).toContain('2 mottagare just nu')
    expect(preview.html).toContain('<h2>Nytt material</h2>')
    expect(preview.html).toContain('<a href="https://example.se/handbok">Handbok för mottagande</a>')
    expect(preview.html).toContain(`<a href="http://localhost/ideas/${idea.id}">Hälsokommunikatörer</a>`)
    expect(preview.html).toContain('Länsträff i Falun <span>– 2027-02-10, Falun</span>')
    expect(preview.html).toContain('Två tips &#60;b&#62;från&#60;/b&#62; nätverket.')
    expect(preview.html).toMatch(/Läs mer: https:\/\/example\.se\/handbok/)
  })

  it('sends a test copy to the signed-in editor only, and the issue stays a draft', async () => {
    const before = t.smtp.received.length
    const res = await post(`${at}/test`, [])
    expect(res.status).toBe(303)
    const [copy] = (await t.smtp.waitFor(before + 1, 30_000)).slice(before)
    expect(copy!.envelope.to).toEqual([browser.user.email])
    expect(copy!.mail.subject).toBe('[TEST] Nyhetsbrev februari')
    expect(copy!.mail.html).toContain('<a href="https://example.se/handbok">Handbok för mottagande</a>')
    expect(copy!.mail.text).toContain('* Hälsokommunikatörer (Utrikes födda med vårdutbildning informerar nyanlända.)')
    const id = at.split('/').pop()!
    const issue = await t.db.selectFrom('newsletter_issues').select(['status']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(issue.status).toBe('draft')
  })

  it('sends the composed copy to every recipient from the preview page', async () => {
    const before = t.smtp.received.length
    expect((await post(`${at}/send`, [])).status).toBe(303)
    const copies = (await t.smtp.waitFor(before + 2, 60_000)).slice(before)
    expect(copies.map((m) => m.envelope.to[0]).sort()).toEqual(['läsare1@example.org', 'läsare2@example.org'])
    expect(copies[0]!.mail.html).toContain('<h2>Nytt material</h2>')
    const id = at.split('/').pop()!
    await until(async () => (await t.db.selectFrom('newsletter_issues').select('status').where('id', '=', id).executeTakeFirst())?.status === 'sent')
    // Sent: no longer editable; the public archive shows the composed HTML.
    const edited = await post(at, [['subject', 'Ändrad'], ['intro', 'x'], ['list_ids', listId], ['version', '1']])
    expect(edited.status).toBe(409)
    const form = await edited.text()
    // What was typed stays, beside the reason — not "someone changed this, compare and save again".
    expect(form).toContain('value="Ändrad"')
    expect(form).toContain('Utskicket är inte längre ett utkast')
    expect(form).not.toContain('Någon annan har ändrat')
    // Sending it again is refused with the same reason, in the API's words too.
    const again = await t.request(`/api/v1/newsletter/issues/${id}/send?lang=en`, jsonRequest('POST', {}, (await t.apiToken('editor')).headers))
    expect(again.status).toBe(409)
    expect((await again.json()).error).toMatchObject({ code: 'conflict', message: 'This issue is no longer a draft: it is scheduled or sent and cannot be changed.' })
    const archived = await t.request(`/newsletter/issues/${id}`)
    expect(await archived.text()).toContain('<h2>Nytt material</h2>')
  }, 90_000)

  // PostgreSQL only: a second connection holds the issue as a send does while the form's save waits.
  it.runIf(ENGINE === 'postgres')('a send that comes while an edit is saved: the edit says the issue is no longer a draft', async () => {
    const made = await post('/newsletter/compose', [['subject', 'Nyhetsbrev mars'], ['intro', 'Hej!'], ['list_ids', listId]])
    const id = made.headers.get('location')!.split('/').pop()!
    let saving: Promise<Response> | undefined
    await t.db.transaction().execute(async (tx) => {
      await tx.selectFrom('newsletter_issues').select('id').where('id', '=', id).forUpdate().execute()
      saving = Promise.resolve(post(`/newsletter/compose/${id}`, [['subject', 'Nyhetsbrev mars, ändrat'], ['intro', 'Hej!'], ['list_ids', listId], ['version', '1']]))
      // The save read a draft and now waits for the row.
      await until(async () => (await sql<{ waiting: boolean }>`select count(*) > 0 as waiting from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%newsletter_issues%'`.execute(t.db)).rows[0]!.waiting)
      await tx.updateTable('newsletter_issues').set({ status: 'scheduled', version: 2 }).where('id', '=', id).execute()
    })
    const res = await saving!
    expect(res.status).toBe(409)
    const page = await res.text()
    expect(page).toContain('Utskicket är inte längre ett utkast')
    expect(page).not.toContain('Någon annan har ändrat')
    expect((await t.db.selectFrom('newsletter_issues').select('subject').where('id', '=', id).executeTakeFirstOrThrow()).subject).toBe('Nyhetsbrev mars')
  })

  it('the sign-up form links to the privacy notice', async () => {
    const res = await t.request('/newsletter')
    expect(await res.text()).toContain('<a href="/privacy">')
  })
})
