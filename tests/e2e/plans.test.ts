import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

e2eDescribe('dissemination plans in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let plan: { id: string }
  let reached: { id: string }
  let missing: { id: string }
  let board: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const theme = await post(page, '/api/v1/themes', { name: 'Hälsokommunikation' })
    board = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board', county: 'Jönköpings län' })
    reached = await post(page, '/api/v1/contacts', { first_name: 'Nora', last_name: 'Nåddsson', categories: ['official'], county: 'Kalmar län' })
    missing = await post(page, '/api/v1/contacts', { first_name: 'Sam', last_name: 'Saknadsson', categories: ['official'], affiliations: [{ organisation_id: board.id }] })
    plan = await post(page, '/api/v1/plans', {
      name: 'Metoden till länsstyrelserna', goal: 'Integrationshandläggarna känner till metoden', deadline: '2027-06-30', status: 'active',
      theme_ids: [theme.id], target: { contact_ids: [reached.id, missing.id] },
    })
    await post(page, '/api/v1/activities', {
      title: 'Seminarium om hälsokommunikatörer', type: 'seminar', status: 'done', start_date: '2026-03-10', theme_ids: [theme.id],
      participants: [{ contact_id: reached.id, attendance: 'attended' }],
    })
  })

  it('plans an activity for those not yet reached with the keyboard, landing on the activity form with them as participants', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`/plans/${plan.id}`)
    expect(await page.locator('#not-reached-h').textContent()).toBe('Ännu inte nådda (1)')
    expect(await page.locator('#not-reached-list').textContent()).toContain('Sam Saknadsson')
    // From the heading of the list, Tab reaches the one action; Enter follows it.
    await page.locator('#not-reached-h').evaluate((h) => {
      h.setAttribute('tabindex', '-1')
      ;(h as HTMLElement).focus()
    })
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('plan-activity')
    await Promise.all([page.waitForURL((u) => u.pathname === '/activities/new'), page.keyboard.press('Enter')])
    const url = new URL(page.url())
    expect(url.searchParams.get('plan_id')).toBe(plan.id)
    expect(url.searchParams.getAll('contact_id')).toEqual([missing.id])
    const participants = page.locator('table.participants-form tbody tr')
    expect(await participants.count()).toBe(1)
    expect(await participants.first().textContent()).toContain('Sam Saknadsson')
    expect(await page.locator('input[name="participants.0.contact_id"]').inputValue()).toBe(missing.id)
  })

  it('shows the plan list with a progress bar and its numbers', async () => {
    await page.goto('/plans')
    const bar = page.locator('.plan-progress').first()
    expect(await bar.locator('progress').getAttribute('value')).toBe('1')
    expect(await bar.locator('.plan-progress-text').textContent()).toBe('1 av 2')
  })

  const pages = () => ['/plans', `/plans/${plan.id}`, `/plans/${plan.id}/edit`, '/plans/new', '/plans/coverage', '/reports/period', '/']
  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the plan, coverage, report and dashboard pages with no serious axe violation and nothing too wide at ${viewport.width} px`, async () => {
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
  it('counts the target group live while it is edited (issue 14), by title text and by a ticked kind', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/plans/new')
    const count = page.locator('#target-count')
    expect(await count.textContent()).toContain('Målgruppen i dag: 0 personer och 0 organisationer.')
    await page.locator('#f-filter_title').fill('x')
    await page.locator('#f-filter_title').press('Backspace')
    await page.locator('input[name="filter_kinds"][value="county_board"]').check()
    await expect.poll(async () => count.textContent(), { timeout: 5000 }).toContain('1 organisation')
    await page.locator('#f-filter_tags').fill('ingen-sådan-tagg')
    await expect.poll(async () => count.textContent(), { timeout: 5000 }).toContain('0 personer och 0 organisationer')
    await page.screenshot({ path: '/tmp/daily-plan-form.png', fullPage: false })
    const violations = await seriousViolations(page)
    expect(violations, formatViolations(violations)).toEqual([])
  })
})
