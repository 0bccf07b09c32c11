import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, MOBILE, useE2E } from './helpers/browser.ts'
import { sectionsLoaded } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

/**
 * Words (and dates) inside `selector` that the browser laid out over more than one line: each
 * word's range gives one box per line it occupies. Addresses (links to http/mailto) may break.
 */
function splitWords(page: Page, selector: string, pattern = '[\\p{L}\\d][\\p{L}\\d-]*'): Promise<string[]> {
  return page.evaluate(
    ({ selector, pattern }) => {
      const split: string[] = []
      for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest('a[href^="http"], a[href^="mailto:"], .visually-hidden')) continue
          for (const m of (node.textContent ?? '').matchAll(new RegExp(pattern, 'gu'))) {
            const range = document.createRange()
            range.setStart(node, m.index)
            range.setEnd(node, m.index + m[0].length)
            const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
            if (tops.size > 1) split.push(m[0])
          }
        }
      }
      return split
    },
    { selector, pattern },
  )
}

/** The darkest grey level (0–255) in a screenshot of `clip`, decoded by the browser in a blank tab. */
async function darkest(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<number> {
  const png = (await page.screenshot({ clip })).toString('base64')
  const blank = await page.context().newPage()
  const level = await blank.evaluate(async (src) => {
    const img = new Image()
    img.src = `data:image/png;base64,${src}`
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = img.width
    canvas.height = img.height
    const g = canvas.getContext('2d')!
    g.drawImage(img, 0, 0)
    const data = g.getImageData(0, 0, img.width, img.height).data
    let min = 255
    for (let i = 0; i < data.length; i += 4) min = Math.min(min, (data[i]! + data[i + 1]! + data[i + 2]!) / 3)
    return min
  }, png)
  await blank.close()
  return level
}

e2eDescribe('reading lists and records', () => {
  const e2e = useE2E()
  let page: Page
  let orgId = ''

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const themes = await Promise.all(['Introduktion för nyanlända', 'Kommunmottagande'].map((name) => post(page, '/api/v1/themes', { name })))
    const org = await post(page, '/api/v1/organisations', {
      name: 'Länsstyrelsen i Blekinge län', kind: 'county_board', county: 'Blekinge län', influence: 3, interest: 5,
      website: 'https://www.lansstyrelsen.se/blekinge/samhalle/social-hallbarhet/integration-och-etablering.html',
      theme_ids: themes.map((t) => t.id), tags: ['länsstyrelsernas integrationsnätverk'],
    })
    orgId = org.id
    const titles = ['Samordnare för mottagande', 'Integrationsansvarig', 'Handläggare', 'Utvecklingsledare']
    for (let i = 0; i < 16; i++) {
      await post(page, '/api/v1/contacts', {
        first_name: ['Mikael', 'Jan', 'Lars', 'Thomas'][i % 4], last_name: `Forsberg-${String.fromCharCode(65 + i)}`,
        title: titles[i % 4], county: 'Blekinge län',
        affiliations: [{ organisation_id: org.id, role: titles[i % 4], start_date: `20${10 + (i % 10)}-0${1 + (i % 9)}-2${i % 8}`, primary: true }],
      })
    }
  })

  for (const viewport of [DESKTOP, MOBILE]) {
    it(`breaks no word and no date over two lines on an organisation's page at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport)
      await page.goto(`/organisations/${orgId}`)
      await sectionsLoaded(page)
      expect(await page.locator('.facts dd').first().textContent()).toContain('Länsstyrelse')
      expect(await splitWords(page, 'main .card')).toEqual([])
      expect(await splitWords(page, 'main', '\\d{4}-\\d\\d-\\d\\d(–(\\d{4}-\\d\\d-\\d\\d)?)?')).toEqual([])
    })
  }

  it("keeps an organisation page's add-relationship form behind a button until asked for", async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`/organisations/${orgId}`)
    const section = page.locator('section.relationships')
    expect((await section.boundingBox())!.height).toBeLessThan(200)
    await page.getByRole('button', { name: 'Ny relation' }).click()
    expect(await page.locator('#f-relation').isVisible()).toBe(true)
    expect((await section.boundingBox())!.height).toBeGreaterThan(300)
  })

  it('shows phone numbers the Swedish way while the register keeps E.164, a foreign one with its country code', async () => {
    await page.setViewportSize(DESKTOP)
    const swede = await post(page, '/api/v1/contacts', { first_name: 'Selma', last_name: 'Abdullahi', phone: '0701740642' })
    const norwegian = await post(page, '/api/v1/contacts', { first_name: 'Ola', last_name: 'Nordmann', phone: '+47 900 12 345' })
    await page.goto(`/contacts/${swede.id}`)
    const link = page.getByRole('link', { name: '070-174 06 42' })
    expect(await link.getAttribute('href')).toBe('tel:+46701740642')
    await page.goto(`/contacts/${norwegian.id}`)
    expect(await page.getByRole('link', { name: '+47 90 01 23 45' }).count()).toBe(1)
    // The edit form shows it the same way, and saving it unchanged keeps the stored number.
    await page.goto(`/contacts/${swede.id}/edit`)
    expect(await page.locator('#f-phone').inputValue()).toBe('070-174 06 42')
    await Promise.all([page.waitForURL((u) => u.pathname === `/contacts/${swede.id}`), page.locator('#f-phone').press('Enter')])
    expect((await (await page.request.get(`/api/v1/contacts/${swede.id}`)).json()).phone).toBe('+46701740642')
  })

  it('counts in Swedish: "1 träff", "1 öppet, 1 försenat"', async () => {
    await page.setViewportSize(DESKTOP)
    await post(page, '/api/v1/contacts', { first_name: 'Ebba', last_name: 'Quarnström' })
    await page.goto('/contacts?q=Quarnström')
    expect((await page.locator('#results .count').innerText()).trim()).toMatch(/^1 träff\b(?!ar)/)
    await page.goto('/search?q=Quarnström')
    expect(await page.locator('.search-group h2 .muted').first().textContent()).toBe('(1 träff)')
    await post(page, '/api/v1/alliances', {
      name: 'Mottagande i Blekinge', status: 'active',
      members: [{ organisation_id: orgId, role: 'lead' }],
      commitments: [{ organisation_id: orgId, description: 'Bjuda in kommunerna', due_date: '2020-01-01' }],
    })
    await page.goto('/alliances?q=Mottagande')
    expect(await page.locator('#results tbody tr', { hasText: 'Mottagande i Blekinge' }).innerText()).toContain('1 öppet, 1 försenat')
    await page.goto('/alliances/board')
    expect(await page.locator('.board-card', { hasText: 'Mottagande i Blekinge' }).innerText()).toContain('1 öppet, 1 försenat')
  })

  it('shows at least 12 contacts at 1280×800, each on one line with its date whole', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/contacts')
    const rows = await page.locator('#results tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect()))
    expect(rows.filter((r) => r.bottom <= 800).length).toBeGreaterThanOrEqual(12)
    expect(Math.max(...rows.map((r) => r.height))).toBeLessThan(40)
    expect(await splitWords(page, '#results', '\\d{4}-\\d\\d-\\d\\d')).toEqual([])
  })

  it('shows that a table wider than a phone scrolls: a shadow at the edge with more to see, gone at the end', async () => {
    await page.setViewportSize(MOBILE)
    await page.goto('/contacts')
    const wrap = page.locator('#results .table-wrap')
    const size = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
    expect(size.scroll).toBeGreaterThan(size.client)
    await wrap.scrollIntoViewIfNeeded()
    const box = (await page.locator('#results tbody tr').nth(1).boundingBox())!
    const wrapBox = (await wrap.boundingBox())!
    const rightEdge = { x: wrapBox.x + wrapBox.width - 6, y: box.y + 2, width: 5, height: 6 }
    // A plain white table cell reads 255; the shadow darkens the edge that has more to the right.
    expect(await darkest(page, rightEdge)).toBeLessThan(235)
    await wrap.evaluate((el) => (el.scrollLeft = el.scrollWidth))
    expect(await darkest(page, rightEdge)).toBeGreaterThan(245)
  })
})
