import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

async function post(page: Page, path: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await page.request.post(path, { data })
  expect(res.status(), await res.text()).toBe(201)
  return res.json()
}

const thisMonth = () => new Date().toISOString().slice(0, 7)

e2eDescribe('activities in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let seminar: { id: string }

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const county = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Gävleborgs län', kind: 'county_board', county: 'Gävleborgs län' })
    for (const [first, last] of [['Olle', 'Oxel'], ['Pia', 'Pil'], ['Rut', 'Rönn'], ['Sven', 'Sälg']] as const) {
      await post(page, '/api/v1/contacts', {
        first_name: first, last_name: last, email: `${first.toLowerCase()}.${last.toLowerCase().replace('ö', 'o').replace('ä', 'a')}@example.se`,
        affiliations: [{ organisation_id: county.id }],
      })
    }
    seminar = await post(page, '/api/v1/activities', {
      title: 'Seminarium om samhällsorientering', type: 'seminar', start_date: `${thisMonth()}-14`, location: 'Gävle', level: 'horizontal',
    })
    await post(page, '/api/v1/activities', { title: 'Tvådagarskonferens', type: 'conference', start_date: `${thisMonth()}-20`, end_date: `${thisMonth()}-21` })
  })

  it('adds participants by pasting e-mail addresses and marks their attendance with the keyboard', async () => {
    await page.goto(`/activities/${seminar.id}/participants`)
    await page.locator('#f-emails').focus()
    await page.keyboard.type('OLLE.OXEL@example.se; pia.pil@example.se\nrut.ronn@example.se\nnobody@example.org')
    // Tab past the role and attendance choices to the button, and press it.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Lägg till adresserna')
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
    const outcome = page.locator('#participants-outcome')
    await outcome.waitFor()
    expect(await outcome.textContent()).toContain('3 tillagda')
    expect(await page.locator('.unknown-addresses').textContent()).toContain('nobody@example.org')
    expect(await page.locator('table.participants tbody tr').count()).toBe(3)

    // Attendance for all: the radio button, the select and the button, by keyboard alone.
    await page.locator('#scope-all').focus()
    await page.keyboard.press('Space')
    expect(await page.locator('#scope-all').isChecked()).toBe(true)
    await page.locator('#f-set-attendance').focus()
    await page.keyboard.type('Delt')
    expect(await page.locator('#f-set-attendance').inputValue()).toBe('attended')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Ange närvaro')
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
    await page.locator('#participants-outcome').waitFor()
    expect(await page.locator('#participants-outcome').textContent()).toContain('3 ändrade')
    expect(await page.locator('table.participants .status-tag').allTextContents()).toEqual(['Deltog', 'Deltog', 'Deltog'])

    await page.goto(`/activities/${seminar.id}`)
    expect((await page.locator('#att-attended-h').textContent())?.replace(/\s+/g, ' ').trim()).toBe('Deltog 3')
  })

  const pages = () => [
    '/activities', '/activities/new', `/activities/${seminar.id}`, `/activities/${seminar.id}/edit`, `/activities/${seminar.id}/participants`,
    `/activities/calendar?month=${thisMonth()}`, '/activities/calendar?view=agenda', '/activities/calendar/subscribe',
  ]
  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the activity pages with no serious axe violation at ${viewport.width} px`, async () => {
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

  it('shows the conference on both its days in the month grid', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto(`/activities/calendar?month=${thisMonth()}`)
    for (const day of ['20', '21']) {
      const cell = page.locator('td', { has: page.locator(`time[datetime="${thisMonth()}-${day}"]`) })
      expect(await cell.locator('.cal-item').allTextContents()).toEqual(['Tvådagarskonferens'])
    }
  })
})
