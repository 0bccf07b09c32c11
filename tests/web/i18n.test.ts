import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../src/web/i18n/catalogue.ts'
import { sv } from '../../src/web/i18n/catalogue.ts'
import { fromAcceptLanguage, translator } from '../../src/web/i18n.ts'
import { cookieFrom, formPost, jsonRequest, testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
  await t.user('viewer')
})
afterAll(() => t.close())

const htmlLang = async (res: Response) => (await res.text()).match(/<html lang="(\w+)">/)?.[1]

describe('language', () => {
  it('speaks Swedish by default', async () => {
    const res = await t.request('/login')
    expect(await htmlLang(res)).toBe('sv')
  })

  it('follows Accept-Language when there is no choice made', async () => {
    const res = await t.request('/login', { headers: { 'accept-language': 'en-GB,en;q=0.9,sv;q=0.5' } })
    const html = await res.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Log in')
  })

  it('switches with ?lang= at once, remembers the choice over Accept-Language, and keeps the page\'s own parameters', async () => {
    const res = await t.request('/login?lang=en&next=%2Fcontacts', { headers: { 'accept-language': 'sv' } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('value="/contacts"')
    const lang = cookieFrom(res, 'lang')
    expect(lang).toBe('en')
    const next = await t.request('/login', { headers: { cookie: `lang=${lang}`, 'accept-language': 'sv' } })
    expect(await htmlLang(next)).toBe('en')
    const back = await t.request('/login?lang=sv', { headers: { cookie: 'lang=en' } })
    expect(cookieFrom(back, 'lang')).toBe('sv')
    expect(await htmlLang(back)).toBe('sv')
  })

  it('shows a shared /ideas?lang=en in English to a client that keeps no cookies, with hreflang alternates', async () => {
    const res = await t.request('/ideas?lang=en', { headers: { 'accept-language': 'sv' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('location')).toBeNull()
    expect(res.headers.get('content-language')).toBe('en')
    expect(cookieFrom(res, 'lang')).toBe('en')
    const html = await res.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('The idea bank')
    expect(html).toContain('<link rel="alternate" hreflang="sv" href="/ideas?lang=sv">')
    expect(html).toContain('<link rel="alternate" hreflang="en" href="/ideas?lang=en">')
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="/ideas">')
    const swedish = await t.request('/ideas?lang=sv', { headers: { 'accept-language': 'en' } })
    expect(await htmlLang(swedish)).toBe('sv')
  })

  it('never sends a ?lang= request off the site', async () => {
    for (const path of ['//evil.example/phish?lang=en', '/\\evil.example/phish?lang=en', '//evil.example/phish?lang=xx']) {
      const res = await t.request(path)
      const location = res.headers.get('location')
      if (location !== null) expect(new URL(location, 'http://localhost').origin, path).toBe('http://localhost')
      expect(res.status, path).toBeLessThan(500)
    }
  })

  it('keeps a filtered list working when the language is switched on it', async () => {
    const b = await t.browser('viewer')
    const res = await t.request('/organisations?kind=ngo&lang=en', { headers: { cookie: b.cookie } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<html lang="en">')
    // The page's own links carry its filter; only the language links carry a language.
    expect(html).toContain('kind=ngo')
    const withLang = new Set([...html.matchAll(/href="([^"]*lang=[^"]*)"/g)].map((m) => m[1]))
    expect([...withLang].sort()).toEqual(['/organisations?kind=ngo&amp;lang=en', '/organisations?kind=ngo&amp;lang=sv'])
    const page = await t.request('/organisations?kind=ngo', { headers: { cookie: `${b.cookie}; lang=en` } })
    expect(page.status).toBe(200)
    expect(await htmlLang(page)).toBe('en')
    const api = await t.request('/api/v1/organisations?lang=en', { headers: { cookie: b.cookie } })
    expect(api.status).toBe(200)
  })

  it('answers API errors in the chosen language', async () => {
    const res = await t.request('/api/v1/users', { headers: { 'accept-language': 'en' } })
    expect((await res.json()).error.message).toBe('You need to log in.')
  })

  it('heads an error page by what happened, in each language', async () => {
    const { cookie } = await t.browser('viewer')
    const missing = await t.request('/contacts/00000000-0000-4000-8000-000000000000', { headers: { cookie } })
    expect(missing.status).toBe(404)
    const html = await missing.text()
    expect(html).toMatch(/<h1>Hittades inte<\/h1>/)
    expect(html).toContain('Sidan finns inte.')
    const forbidden = await t.request('/admin/users?lang=en', { headers: { cookie } })
    expect(forbidden.status).toBe(403)
    expect(await forbidden.text()).toMatch(/<h1>Not allowed<\/h1>/)
    // A delete sent from a page someone else's save has made stale: changed, not refused.
    const editor = await t.browser('editor')
    const api = await t.apiToken('editor')
    const created = await t.request('/api/v1/contacts', jsonRequest('POST', { first_name: 'Ebba', last_name: 'Rubinsdotter' }, api.headers))
    const person = (await created.json()) as { id: string; version: number }
    expect((await t.request(`/api/v1/contacts/${person.id}`, jsonRequest('PATCH', { version: person.version, title: 'Samordnare' }, api.headers))).status).toBe(200)
    const stale = await t.request(`/contacts/${person.id}/delete`, formPost({ version: String(person.version) }, editor.cookie))
    expect(stale.status).toBe(409)
    const staleHtml = await stale.text()
    expect(staleHtml).toMatch(/<h1>Ändrad av någon annan<\/h1>/)
    expect(staleHtml).toContain('Uppgifterna har ändrats av någon annan.')
    // Sent from the person's page: a way back to it, to see what changed. From elsewhere: none.
    const from = async (referer: string) => {
      const sent = formPost({ version: String(person.version) }, editor.cookie)
      const res = await t.request(`/contacts/${person.id}/delete`, { ...sent, headers: { ...(sent.headers as Record<string, string>), referer } })
      expect(res.status).toBe(409)
      return (await res.text()).match(/<a href="([^"]*)">Tillbaka till sidan du kom från<\/a>/)?.[1]
    }
    expect(await from(`http://localhost/contacts/${person.id}?tab=history`)).toBe(`/contacts/${person.id}?tab=history`)
    // Behind a proxy that ends TLS the browser's page was https, the request reaches us as http.
    expect(await from(`https://localhost/contacts/${person.id}`)).toBe(`/contacts/${person.id}`)
    for (const elsewhere of ['https://evil.example/contacts', 'http://localhost.evil.example/', 'not a url', 'javascript://localhost/%0aalert(1)', `http://localhost/.//evil.example/`, `http://localhost/contacts/${person.id}/delete`]) {
      expect(await from(elsewhere), elsewhere).toBeUndefined()
    }
  })

  it('has an English text for every Swedish one, none left empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort())
    for (const [key, text] of Object.entries(en)) expect(text, key).not.toBe('')
  })

  it('picks the best language by quality', () => {
    expect(fromAcceptLanguage('de-DE,en;q=0.8,sv;q=0.9')).toBe('sv')
    expect(fromAcceptLanguage('fr, de')).toBeUndefined()
    expect(fromAcceptLanguage('sv;q=0, en;q=0.1')).toBe('en')
  })
})

describe('plural forms', () => {
  it('picks the form Intl.PluralRules gives for {count}, in each language', () => {
    const sv = translator('sv')
    const en = translator('en')
    expect(sv('list.count', { count: 1 })).toBe('1 träff')
    expect(sv('list.count', { count: 0 })).toBe('0 träffar')
    expect(sv('list.count', { count: 2 })).toBe('2 träffar')
    expect(en('list.count', { count: 1 })).toBe('1 match')
    expect(en('list.count', { count: 21 })).toBe('21 matches')
  })

  it('agrees with the noun in Swedish: "1 öppet, 1 försenat" but "2 öppna, 3 försenade"', () => {
    const t = translator('sv')
    const line = (open: number, overdue: number) =>
      t('alliance.open_overdue', { open: t('alliance.open_n', { count: open }), overdue: t('alliance.overdue_n', { count: overdue }) })
    expect(line(1, 1)).toBe('1 öppet, 1 försenat')
    expect(line(2, 3)).toBe('2 öppna, 3 försenade')
  })

  it('uses the message itself when a count is not a number ("40+ träffar")', () => {
    expect(translator('sv')('search.summary', { count: '40+', q: 'x' })).toBe('40+ träffar för ”x”')
  })
})
