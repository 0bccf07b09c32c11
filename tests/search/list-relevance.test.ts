import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contactList } from '../../src/contacts/contacts.list.ts'
import { jsonRequest, testApp, type TestApp } from '../helpers/app.ts'
import { recordStatements } from '../helpers/statements.ts'

// A list's own search box ranks its rows (issue 14): exact > prefix > word > substring > typo,
// unless the reader asks for another order; a long list is counted only up to a cap.
let t: TestApp
let editor: Awaited<ReturnType<TestApp['apiToken']>>
const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, editor.headers))
type Row = { first_name: string; last_name: string; email: string | null }
const list = async (query: string) => {
  const res = await api('GET', `/api/v1/contacts?${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as { data: Row[]; next_cursor: string | null }
}
const names = async (query: string) => (await list(query)).data.map((c) => `${c.first_name} ${c.last_name}`)

// Fictional people; all of them mention "Åsa Lindström" one way or another, and in alphabetical
// order (surname, then first name, Å after Z) the one called exactly that comes last.
const PEOPLE = [
  { first_name: 'Åsa', last_name: 'Lindström', email: 'asa.lindstrom@example.se' },
  { first_name: 'Ebba Åsa', last_name: 'Lindström', email: 'ebba.lindstrom@example.se' },
  { first_name: 'Anna', last_name: 'Lindström', email: 'anna.lindstrom@example.se', title: 'Assistent till Åsa Lindström' },
  { first_name: 'Karl', last_name: 'Andersson', email: 'kasa.lindstrom@example.se' },
  { first_name: 'Maria', last_name: 'Berg', email: 'maria.asa.lindstrom@example.se' },
  { first_name: 'Åsa', last_name: 'Lindströmsson', email: 'a.l@example.se' },
  { first_name: 'Bo', last_name: 'Lindström', email: 'bo.lindstrom@example.se' },
]

beforeAll(async () => {
  t = await testApp()
  editor = await t.apiToken('editor')
  for (const p of PEOPLE) expect((await api('POST', '/api/v1/contacts', { categories: [], ...p })).status).toBe(201)
})
afterAll(() => t.close())

describe('a list searched by its own box', () => {
  it('puts the person with exactly that name first, though alphabetically last', async () => {
    const found = await names('q=Åsa Lindström')
    expect(found[0]).toBe('Åsa Lindström')
    // The prefix match next ("Åsa Lindströmsson" starts with the query).
    expect(found[1]).toBe('Åsa Lindströmsson')
    // Asked for, the alphabetical order is still there.
    const alphabetical = await names('q=Åsa Lindström&sort=name')
    expect(alphabetical.indexOf('Åsa Lindström')).toBeGreaterThan(alphabetical.indexOf('Ebba Åsa Lindström'))
  })

  it('puts the person with exactly that e-mail address first', async () => {
    const found = await list(`q=${encodeURIComponent('asa.lindstrom@example.se')}`)
    const emails = found.data.map((c) => c.email)
    expect(emails[0]).toBe('asa.lindstrom@example.se')
    // Then the addresses that hold it; typo matches (few matched as typed) only after them.
    expect(emails.slice(1, 3).sort()).toEqual(['kasa.lindstrom@example.se', 'maria.asa.lindstrom@example.se'])
  })

  it('ranks across pages: the cursor continues the same order, nothing twice, nothing left out', async () => {
    const whole = await names('q=lindstrom&limit=50')
    expect(whole.length).toBeGreaterThanOrEqual(6)
    expect(whole[0]).toMatch(/Lindström$/)
    const paged: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: Row[]; next_cursor: string | null } = await list(`q=lindstrom&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      paged.push(...page.data.map((c) => `${c.first_name} ${c.last_name}`))
      cursor = page.next_cursor
    } while (cursor)
    expect(paged).toEqual(whole)
  })

  it('fills in typo matches when few match as typed, below them', async () => {
    // Nobody is called "Lindstrem" as typed: the typo matches are the list.
    const typo = await names(`q=${encodeURIComponent('Lindstrem')}`)
    expect(typo).toContain('Bo Lindström')
  })

  it('fills in no typo matches when the query names someone exactly', async () => {
    // "Bo Lindström" is one person; the other Lindströms are a word away, not a correction.
    expect(await names(`q=${encodeURIComponent('Bo Lindström')}`)).toEqual(['Bo Lindström'])
    // One letter off, nobody is named so: the closest names fill in.
    expect(await names(`q=${encodeURIComponent('Bo Lindstrem')}`)).toContain('Bo Lindström')
  })

  it('orders the page by relevance too, and counts', async () => {
    const res = await t.request('/contacts?q=' + encodeURIComponent('Åsa Lindström'), { headers: { cookie: (await t.browser('viewer')).cookie } })
    const html = await res.text()
    const first = html.indexOf('Lindström, Åsa<')
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(html.indexOf('Lindström, Ebba Åsa<'))
  })
})

describe('the page’s own search box', () => {
  let cookie: string
  beforeAll(async () => {
    cookie = (await t.browser('viewer')).cookie
  })
  /** A page as a signed-in viewer sees it. */
  const page = async (path: string) => (await t.request(path, { headers: { cookie } })).text()
  /** The order a browser sends from a page's form: its hidden fields, and each select's selected option (the first when none is). */
  const sent = async (path: string) => {
    const html = await page(path)
    const fields = new URLSearchParams()
    for (const m of html.matchAll(/<input type="hidden" name="(sort|dir)" value="([^"]*)">/g)) fields.set(m[1]!, m[2]!)
    for (const m of html.matchAll(/<select id="[^"]*" name="(sort|dir)">([\s\S]*?)<\/select>/g)) {
      const options = [...m[2]!.matchAll(/<option value="([^"]*)"( selected)?>/g)]
      fields.set(m[1]!, (options.find((o) => o[2]) ?? options[0]!)[1]!)
    }
    return fields
  }

  // Its form carried the order the page resolved (name) as a hidden field, so a search typed into
  // it came back in name order, the exact name below the others (seen in Chromium, 2026-12-05).
  it('sends a search typed into it in order of relevance, unless the reader chose an order', async () => {
    const typed = await sent('/contacts')
    typed.set('q', 'Åsa Lindström')
    const html = await page(`/contacts?${typed}`)
    expect(html.indexOf('Lindström, Åsa<')).toBeGreaterThan(0)
    expect(html.indexOf('Lindström, Åsa<')).toBeLessThan(html.indexOf('Lindström, Ebba Åsa<'))
    // An order the reader chose stays with the next search.
    expect((await sent('/contacts?sort=name&dir=desc')).get('sort')).toBe('name')
    expect((await sent('/organisations')).get('sort')).toBe('')
  })

  // The alliances and activities pages choose their order in a visible <select>. It showed the
  // resolved default (name, date) as chosen, so a search typed into either page came back in that
  // order, the exact name below the others (seen with curl, 2026-12-05).
  it('sends a search typed into a page whose order is chosen in a list in order of relevance', async () => {
    // Exactly the name searched for, yet last by name and (the oldest) last by date.
    for (const name of ['Alliansen för Östersjön', 'Östersjönätverket', 'Östersjön']) {
      expect((await api('POST', '/api/v1/alliances', { name, status: 'active', members: [] })).status).toBe(201)
    }
    for (const [title, start_date] of [['Dagen för Östersjön', '2026-06-01'], ['Östersjönätverkets möte', '2026-05-01'], ['Östersjön', '2025-01-01']]) {
      expect((await api('POST', '/api/v1/activities', { title, type: 'meeting', status: 'done', start_date })).status).toBe(201)
    }
    for (const [path, other, chosen] of [['/alliances', 'Alliansen för Östersjön', 'review'], ['/activities', 'Dagen för Östersjön', 'title']] as const) {
      const typed = await sent(path)
      expect(typed.get('sort'), path).toBe('')
      typed.set('q', 'Östersjön')
      const html = await page(`${path}?${typed}`)
      expect(html.indexOf('>Östersjön<'), path).toBeGreaterThan(0)
      expect(html.indexOf('>Östersjön<'), path).toBeLessThan(html.indexOf(`>${other}<`))
      // An order the reader chose stays chosen, and the next search goes in it.
      expect((await sent(`${path}?sort=${chosen}`)).get('sort'), path).toBe(chosen)
    }
  })
})

describe('the statements of a searched list', () => {
  // A search's page was three statements over the same matches — a count, then (few matches)
  // whether one is named exactly, then the page — before each row's affiliations: the exact-name
  // search missed its 50 ms at ten connections (issue 15). Its first page now counts them itself.
  const page = async (q: Record<string, unknown>, opts: { count?: boolean } = {}) => {
    const { db, ran } = recordStatements(t.db)
    const found = await contactList.page(db, contactList.schema.parse(q) as never, { audience: 'viewer', ...opts })
    return { names: found.data.map((c) => `${c.first_name} ${c.last_name}`), total: found.total, next: found.next_cursor, ran }
  }

  it('answers a word that names a few people exactly with the page alone, the names checked in it', async () => {
    const { names, total, ran } = await page({ q: 'Lindströmsson' })
    expect(names).toEqual(['Åsa Lindströmsson'])
    expect(total).toBe(1)
    expect(ran).toHaveLength(2)
  })

  it('answers a search whose first page holds every match with that page alone, counted and exact first', async () => {
    const { names, total, ran } = await page({ q: 'Åsa Lindström' })
    expect(names[0]).toBe('Åsa Lindström')
    expect(total).toBe(names.length)
    // The page, then what each row adds: no count, no look for an exact match.
    expect(ran).toHaveLength(2)
    expect(ran.some((s) => /select count\(\*\)/.test(s))).toBe(false)
  })

  it('counts a full first page as it reads it, and pages on with the same total', async () => {
    // More than a page of matches (a page of FUZZY_FILL_BELOW rows or more: fewer may take typo
    // matches in), none of them a name: every match is ranked.
    for (let i = 1; i <= 25; i++) expect((await api('POST', '/api/v1/contacts', { categories: [], first_name: `Person ${i}`, last_name: 'Lund', title: 'Regional samordnare' })).status).toBe(201)
    const whole = await page({ q: 'regional samordnare', limit: 50 })
    expect(whole.total).toBe(25)
    const first = await page({ q: 'regional samordnare', limit: 20 })
    expect(first.names).toEqual(whole.names.slice(0, 20))
    expect(first.total).toBe(25)
    // The page (its matches counted in it), then what each row adds: the matches are not read
    // again by a count of their own.
    expect(first.ran).toHaveLength(2)
    expect(first.ran.filter((s) => /select count\(\*\)/.test(s))).toHaveLength(0)
    const second = await page({ q: 'regional samordnare', limit: 20, cursor: first.next })
    expect(second.names).toEqual(whole.names.slice(20))
    expect(second.total).toBe(25)
  })

  it('reads a page full of people a word names exactly from the names, ranked as every match would be, and counts them only when asked', async () => {
    for (let i = 1; i <= 25; i++) expect((await api('POST', '/api/v1/contacts', { categories: [], first_name: `Person ${i}`, last_name: 'Sandell' })).status).toBe(201)
    // Not a name: below the 25 named Sandell however short its text.
    expect((await api('POST', '/api/v1/contacts', { categories: [], first_name: 'Kim', last_name: 'Ek', title: 'Sandell' })).status).toBe(201)
    const whole = await page({ q: 'sandell', limit: 50 })
    expect(whole.total).toBe(26)
    expect(whole.names.at(-1)).toBe('Kim Ek')
    const first = await page({ q: 'sandell', limit: 20 })
    expect(first.names).toEqual(whole.names.slice(0, 20))
    expect(first.total).toBe(26)
    // The ranking skipped as the names fill the page, the page read from the names, the count of
    // every match, what each row adds.
    expect(first.ran).toHaveLength(4)
    expect(first.ran[1]).toMatch(/fold_name\("last_name"\)/)
    // The API shows no total: nothing counted.
    const uncounted = await page({ q: 'sandell', limit: 20 }, { count: false })
    expect(uncounted.names).toEqual(first.names)
    expect(uncounted.ran).toHaveLength(3)
    expect(uncounted.ran.filter((s) => /select count\(\*\) as "n"/.test(s))).toHaveLength(0)
    const second = await page({ q: 'sandell', limit: 20, cursor: first.next })
    expect(second.names).toEqual(whole.names.slice(20))
    expect(second.total).toBe(26)
  })

  it('reads a page full of people a first name names from the names too', async () => {
    for (let i = 1; i <= 21; i++) expect((await api('POST', '/api/v1/contacts', { categories: [], first_name: 'Tindra', last_name: `Ek${String.fromCharCode(96 + i)}` })).status).toBe(201)
    const whole = await page({ q: 'tindra', limit: 50 })
    const first = await page({ q: 'tindra', limit: 20 }, { count: false })
    expect(first.names).toEqual(whole.names.slice(0, 20))
    expect(first.ran).toHaveLength(3)
    expect(first.ran[1]).toMatch(/fold_name\("first_name"\)/)
  })

  it('ranks every match after all when a name read fails the search as typed (Ｇｒｉｆｆｉｔｈ for "griffith")', async () => {
    // The names fold fullwidth letters to ASCII (unaccent), the searched text keeps them (foldText
    // folds only the letters of FOLDED besides marks): a page's worth of people named so are no precise
    // match for "griffith", and someone whose title says it is.
    for (let i = 1; i <= 21; i++) expect((await api('POST', '/api/v1/contacts', { categories: [], first_name: `Person ${i}`, last_name: 'Ｇｒｉｆｆｉｔｈ' })).status).toBe(201)
    expect((await api('POST', '/api/v1/contacts', { categories: [], first_name: 'Kari', last_name: 'Holm', title: 'Griffith AB' })).status).toBe(201)
    const all = await page({ q: 'griffith', limit: 50 })
    const first = await page({ q: 'griffith', limit: 20 })
    expect(first.names).toContain('Kari Holm')
    expect(first.names).toEqual(all.names.slice(0, 20))
  })

  it('reads the page once when nothing is a typo away either: the page, then the corrections looked up', async () => {
    const { names, total, ran } = await page({ q: 'Qxzvwyk' })
    expect(names).toEqual([])
    expect(total).toBe(0)
    expect(ran).toHaveLength(2)
  })

  it('still fills in typo matches when few match as typed and none exactly, counted', async () => {
    const { names, total } = await page({ q: 'Lindstrem' })
    expect(names).toContain('Bo Lindström')
    expect(total).toBe(names.length)
  })
})

describe('the count of a long list', () => {
  it('stops at 10 000 and says "more than"', async () => {
    await sql`insert into organisations (name, kind, sort_name, search_text)
      select 'Föreningen ' || i, 'ngo', 'foreningen ' || i, 'foreningen ' || i from generate_series(1, 10001) i`.execute(t.db)
    const res = await t.request('/organisations?kind=ngo', { headers: { cookie: (await t.browser('viewer')).cookie } })
    expect(await res.text()).toMatch(/Fler än 10000 träffar/)
    const few = await t.request('/organisations?q=' + encodeURIComponent('Föreningen 10001'), { headers: { cookie: (await t.browser('viewer')).cookie } })
    const html = await few.text()
    expect(html).not.toMatch(/Fler än/)
    expect(html).toMatch(/Föreningen 10001</)
    // A search whose first page is full is counted as it is read, and shown to the same cap.
    const many = await t.request('/organisations?q=' + encodeURIComponent('Föreningen'), { headers: { cookie: (await t.browser('viewer')).cookie } })
    expect(await many.text()).toMatch(/Fler än 10000 träffar/)
  }, 120_000)
})
