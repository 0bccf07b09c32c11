import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { insertContact, insertTheme } from './records.ts'

let t: TestApp
let cookie: string
const ids: Record<string, string> = {}

const page = async (path: string, headers: Record<string, string> = {}) => {
  const res = await t.request(path, { headers: { cookie, ...headers } })
  const html = await res.text()
  // The text a reader sees, without the <mark>s that split the words.
  return { status: res.status, html, text: html.replace(/<\/?mark>/g, '') }
}

beforeAll(async () => {
  t = await testApp()
  cookie = (await t.browser('viewer')).cookie
  const editor = await t.apiToken('editor')
  for (const [key, name] of [['board', 'Länsstyrelsen i Jönköpings län'], ['kommun', 'Jönköpings kommun'], ['html', 'Föreningen <b>Fet</b> & Co']] as const) {
    const res = await t.request('/api/v1/organisations', jsonRequest('POST', { name, kind: 'other' }, editor.headers))
    ids[key] = ((await res.json()) as { id: string }).id
  }
  ids.contact = await insertContact(t.db, { first_name: 'Elsa', last_name: 'Exempelsson', title: 'Samordnare i Jönköping' })
  ids.theme = await insertTheme(t.db, { name: 'Jönköpingsmodellen' })
})
afterAll(() => t.close())

describe('the search page', () => {
  it('groups the results by type under headings with counts, each a link to the record', async () => {
    const { status, html } = await page('/search?q=j%C3%B6nk%C3%B6ping')
    expect(status).toBe(200)
    expect(html).toMatch(/<h2 id="search-group-organisation">Organisationer <span class="muted">\(2 träffar\)<\/span><\/h2>/)
    expect(html).toMatch(/<h2 id="search-group-contact">Kontaktpersoner <span class="muted">\(1 träff\)<\/span><\/h2>/)
    expect(html).toMatch(/<h2 id="search-group-theme">Teman <span class="muted">\(1 träff\)<\/span><\/h2>/)
    expect(html).toContain(`href="/organisations/${ids.board}"`)
    expect(html).toContain(`href="/organisations/${ids.kommun}"`)
    expect(html).toContain(`href="/contacts/${ids.contact}"`)
    expect(html).toContain(`href="/themes/${ids.theme}"`)
    const organisations = html.slice(html.indexOf('search-group-organisation'), html.indexOf('</section>', html.indexOf('search-group-organisation')))
    expect(organisations.replace(/<\/?mark>/g, '')).toContain('Jönköpings kommun')
    expect(organisations).not.toContain('Elsa')
  })

  it('highlights the matched words, found without accents, in the names and snippets', async () => {
    const { html } = await page('/search?q=jonkoping')
    expect(html).toContain('<mark>Jönköping</mark>s kommun')
    expect(html).toContain('Samordnare i <mark>Jönköping</mark>')
  })

  it('escapes markup in a name and still marks the match', async () => {
    const { html } = await page('/search?q=fet')
    expect(html).toContain('Föreningen &lt;b&gt;<mark>Fet</mark>&lt;/b&gt; &amp; Co')
    expect(html).not.toContain('<b>Fet</b>')
  })

  it('asks for words when empty, and says so when nothing matches', async () => {
    expect((await page('/search')).html).toContain('Skriv vad du letar efter.')
    const none = await page('/search?q=zzxxqqvv')
    expect(none.status).toBe(200)
    expect(none.html).toContain('Inget i registret matchar ”zzxxqqvv”')
  })

  it('limits the page to the chosen types, and keeps them ticked', async () => {
    const { html } = await page('/search?q=j%C3%B6nk%C3%B6ping&types=theme')
    expect(html).toContain('id="search-group-theme"')
    expect(html).not.toContain('id="search-group-organisation"')
    expect(html).toMatch(/value="theme" checked/)
    expect(html).not.toMatch(/value="organisation" checked/)
  })

  it('works without JavaScript: a labelled GET form, and instant results for htmx as a fragment', async () => {
    const full = await page('/search?q=kommun')
    expect(full.html).toMatch(/<form[^>]*role="search"[^>]*action="\/search"/)
    expect(full.html).toContain('<label for="search-q">')
    expect(full.html).toContain('hx-get="/search"')
    const fragment = await page('/search?q=kommun', { 'HX-Request': 'true' })
    expect(fragment.html).not.toContain('<html')
    expect(fragment.html.trim()).toMatch(/^<div id="search-results">/)
    expect(fragment.text).toContain('Jönköpings kommun')
  })

  it('speaks English too', async () => {
    const { html } = await page('/search?q=j%C3%B6nk%C3%B6ping', { cookie: `${cookie}; lang=en` })
    expect(html).toContain('Organisations <span class="muted">(2 results)</span>')
  })
})

describe('the search box in the header', () => {
  it('is on every page for a signed-in user, labelled, with "/" as its shortcut', async () => {
    const { html } = await page('/organisations')
    expect(html).toMatch(/<form role="search" method="get" action="\/search" class="header-search"/)
    expect(html).toMatch(/<label for="header-q"[^>]*>Sök i hela registret<\/label>/)
    expect(html).toMatch(/<input id="header-q" name="q" type="search"[^>]*aria-keyshortcuts="\/"/)
    expect(html).toContain('<script src="/static/js/search.js" defer></script>')
    const script = await t.request('/static/js/search.js')
    expect(script.status).toBe(200)
    expect(await script.text()).toContain("event.key !== '/'")
  })

  it('is not shown to someone who is not signed in', async () => {
    const res = await t.request('/login')
    expect(await res.text()).not.toContain('header-search')
  })
})
