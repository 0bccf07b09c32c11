import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formPost, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(() => t.close())

describe('the privacy notice', () => {
  it('is public, in Swedish and English, and says what the admin set', async () => {
    const admin = await t.browser('admin')
    const form = await (await t.request('/admin/privacy', { headers: { cookie: admin.cookie } })).text()
    const version = /name="version" value="(\d+)"/.exec(form)![1]!
    const saved = await t.request('/admin/privacy', formPost({
      version, purpose: 'Samordna nätverket för mottagande och integration.', controller: 'Länsstyrelsen i Exempellän, 123 45 Exempelstad',
      dpo_contact: 'dataskyddsombud@exempel.se', recipients: '', source: '',
    }, admin.cookie))
    expect(saved.status).toBe(303)
    const decided = await t.request('/admin/privacy/decisions', formPost({
      reference: 'Dnr 2026/7', title: 'Gallring av kontaktuppgifter', decided_on: '2026-02-01', covers: 'Kontaktregistret', retention_period: '3 år',
    }, admin.cookie))
    expect(decided.status).toBe(303)
    const d = await t.db.selectFrom('retention_decisions').select('id').executeTakeFirstOrThrow()
    await t.db.insertInto('retention_rules').values({ kind: 'contacts_not_engaged', months: 36, decision_id: d.id }).execute()

    const sv = await t.request('/privacy', { headers: { 'accept-language': 'sv' } })
    expect(sv.status).toBe(200)
    const html = await sv.text()
    for (const text of ['Så behandlar vi personuppgifter', 'Samordna nätverket för mottagande och integration.', 'Länsstyrelsen i Exempellän', 'dataskyddsombud@exempel.se', 'Dnr 2026/7', '36 månader', 'uppgift av allmänt intresse']) {
      expect(html).toContain(text)
    }
    const en = await (await t.request('/privacy', { headers: { 'accept-language': 'en' } })).text()
    expect(en).toContain('How we process personal data')
    expect(en).toContain('36 months')
  })

  it('is linked from the footer of every public page', async () => {
    for (const path of ['/login', '/ideas', '/accessibility', '/privacy']) {
      expect(await (await t.request(path)).text(), path).toContain('href="/privacy"')
    }
    // Where personal data are collected (art. 13), the notice is linked beside the consent text.
    await t.db.insertInto('newsletter_lists').values({ name: 'Nyhetsbrev', public: true } as never).execute()
    for (const path of ['/newsletter']) {
      expect(await (await t.request(path)).text(), path).toContain('<a href="/privacy">Så behandlar vi dina personuppgifter</a>')
    }
  })

  it('refuses the settings to anyone but an admin, and a bad decision date is shown at the field', async () => {
    const editor = await t.browser('editor')
    expect((await t.request('/admin/privacy', { headers: { cookie: editor.cookie } })).status).toBe(403)
    const admin = await t.browser('admin')
    const res = await t.request('/admin/privacy/decisions', formPost({ reference: 'X', title: 'Y', decided_on: '2026-02-30' }, admin.cookie))
    expect(res.status).toBe(422)
  })
})
