import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

/** A Swedish calendar day `n` days from today. */
function day(n: number): string {
  const d = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Stockholm' }))
  d.setDate(d.getDate() + n)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('the alliance board in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let alliance: { id: string }
  let other: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const theme = await post(page, '/api/v1/themes', { name: 'Hälsa' })
    const lead = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board' })
    const partner = await post(page, '/api/v1/organisations', { name: 'Röda Korset', kind: 'ngo' })
    const person = await post(page, '/api/v1/contacts', { first_name: 'Anna', last_name: 'Andersson' })
    alliance = await post(page, '/api/v1/alliances', {
      name: 'Hälsokommunikatörer i länet', purpose: 'Sprida metoden till alla kommuner', review_date: day(-1), next_step: 'Boka möte',
      theme_ids: [theme.id], links: [{ label: 'Avsiktsförklaring', url: 'https://www.example.se/avsikt.pdf' }],
      members: [{ organisation_id: lead.id, role: 'lead', contact_id: person.id }, { organisation_id: partner.id, role: 'partner' }],
      commitments: [
        { organisation_id: partner.id, description: 'Utbilda tio kommunikatörer', due_date: day(-3) },
        { organisation_id: lead.id, description: 'Sammankalla styrgruppen', due_date: day(7) },
      ],
    })
    other = await post(page, '/api/v1/alliances', { name: 'Dragkortet', status: 'proposed' })
  })

  it("shows an alliance's health as a score and one sentence, with the formula behind a disclosure", async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`/alliances/${alliance.id}`)
    const health = page.locator('#health')
    expect(await health.locator('.health-score').innerText()).toMatch(/^Sammanlagt: \d+ av 100/)
    expect(await health.locator('.health-sentence').innerText()).toMatch(/^Det som drar ned mest är /)
    expect(await health.locator('.health-table').isVisible()).toBe(false)
    await health.getByText('Så räknas hälsan').click()
    expect(await health.locator('.health-table').isVisible()).toBe(true)
    expect(await health.locator('.health-formula').innerText()).toMatch(/^Beräkning: /)
  })

  it('moves a card to the next column with the keyboard only: Tab to its status, choose, Enter', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/alliances/board')
    const card = page.locator(`#card-${alliance.id}`)
    expect(await page.locator('#col-exploring').locator(`#card-${alliance.id}`).count()).toBe(1)
    // From the card's own link, the next stop is its status select.
    await card.locator('h3 a').focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`move-${alliance.id}`)
    await page.keyboard.press('ArrowDown')
    expect(await page.locator(`#move-${alliance.id}`).inputValue()).toBe('proposed')
    await page.keyboard.press('Enter')
    await page.locator('#col-proposed').locator(`#card-${alliance.id}`).waitFor()
    expect(await page.locator('#col-exploring').locator(`#card-${alliance.id}`).count()).toBe(0)
    expect(await page.locator('#board-status').textContent()).toBe('Hälsokommunikatörer i länet flyttades till Föreslagen.')
    // The keyboard stays with the card that moved.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`move-${alliance.id}`)
    await page.goto(`/alliances/${alliance.id}`)
    expect(await page.locator('.status-history tbody tr').first().locator('td').nth(2).textContent()).toBe('Föreslagen')
  })

  it('moves a card by dragging it to another column', async () => {
    await page.goto('/alliances/board')
    // Taken by its edge: a drag that starts on the card's form controls selects text instead.
    await page.locator(`#card-${other.id}`).dragTo(page.locator('#col-active'), { sourcePosition: { x: 3, y: 3 }, targetPosition: { x: 20, y: 20 } })
    await page.locator('#col-active').locator(`#card-${other.id}`).waitFor()
    expect(await page.locator('#board-status').textContent()).toBe('Dragkortet flyttades till Aktiv.')
  })

  const pages = () => ['/alliances', '/alliances/board', `/alliances/${alliance.id}`, `/alliances/${alliance.id}/edit`, '/alliances/new', '/']
  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the alliance pages with no serious axe violation and nothing too wide at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport)
      const tooWide: string[] = []
      for (const path of pages()) {
        const res = await page.goto(path)
        expect(res?.status(), path).toBe(200)
        const violations = await seriousViolations(page)
        expect(violations, `axe found on ${path}:\n${formatViolations(violations)}`).toEqual([])
        const { scrollWidth } = await horizontalOverflow(page)
        if (scrollWidth > viewport.width + 1) tooWide.push(`${path}: ${scrollWidth} px`)
      }
      expect(tooWide).toEqual([])
    })
  }
})
