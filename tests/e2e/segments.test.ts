import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('saved segments in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let segment: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const board = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board', county: 'Jönköpings län' })
    for (const [first, last, categories] of [['Nora', 'Norrman', ['official']], ['Sam', 'Samuelsson', ['official']], ['Tove', 'Tornberg', ['researcher']]] as const) {
      await post(page, '/api/v1/contacts', { first_name: first, last_name: last, categories, affiliations: [{ organisation_id: board.id, role: 'Handläggare' }] })
    }
    segment = await post(page, '/api/v1/segments', { name: 'Tjänstepersoner i Jönköpings län', filter: { categories: ['official'], counties: ['Jönköpings län'] } })
  })

  it('counts the members live while the filter is edited, before anything is saved', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/segments/new')
    const count = page.locator('#segment-count')
    await page.locator('#f-counties input[value="Jönköpings län"]').check()
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toContain('3 personer ingår')
    await page.locator('#f-categories input[value="official"]').check()
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toContain('2 personer ingår')
    await page.locator('#f-title').fill('ingen sådan roll')
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toContain('0 personer ingår')
    await page.locator('#f-title').fill('')
    await page.locator('#f-name').fill('Jönköpings tjänstepersoner')
    await Promise.all([page.waitForURL(/\/segments\/[0-9a-f-]{36}$/), page.locator('form#segment-form button[type="submit"]').click()])
    expect(await page.locator('#members').textContent()).toContain('Norrman, Nora')
    await page.screenshot({ path: '/tmp/segment-show.png', fullPage: true })
  })

  const pages = () => ['/segments', `/segments/${segment.id}`, `/segments/${segment.id}/edit`, '/segments/new']
  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the segment pages with no serious axe violation and nothing too wide at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport)
      const tooWide: string[] = []
      for (const path of pages()) {
        const res = await page.goto(path)
        expect(res?.status(), path).toBe(200)
        const violations = await seriousViolations(page)
        expect(violations, `axe found on ${path}:\n${formatViolations(violations)}`).toEqual([])
        const { scrollWidth } = await horizontalOverflow(page)
        if (scrollWidth > viewport.width + 1) tooWide.push(`${path}: ${scrollWidth} px`)
        if (path.endsWith('/edit')) await page.screenshot({ path: `/tmp/segment-edit-${viewport.width}.png`, fullPage: true })
      }
      expect(tooWide).toEqual([])
    })
  }
})
