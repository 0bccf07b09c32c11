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

e2eDescribe('themes, interactions and follow-ups in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let org: { id: string }
  let theme: { id: string }
  let interactionId = ''

  beforeAll(async () => {
    page = await e2e.signedInPage()
    theme = await post(page, '/api/v1/themes', { name: 'Hälsa', description: 'Hälsofrämjande insatser för nyanlända' })
    await post(page, '/api/v1/themes', { name: 'Hälsokommunikatörer', parent_id: theme.id })
    org = await post(page, '/api/v1/organisations', { name: 'Länsstyrelsen i Jönköpings län', kind: 'county_board', theme_ids: [theme.id] })
    await post(page, '/api/v1/contacts', { first_name: 'Anna', last_name: 'Andersson' })
    await post(page, '/api/v1/contacts', { first_name: 'Bertil', last_name: 'Berg' })
  })

  it('logs a meeting from the organisation page, picking two contacts by searching, with the keyboard', async () => {
    await page.goto(`/organisations/${org.id}`)
    await Promise.all([page.waitForURL((u) => u.pathname === '/interactions/new'), page.getByRole('link', { name: 'Logga kontakt' }).click()])
    expect(await page.locator(`input[name="organisation_ids"][value="${org.id}"]`).isChecked()).toBe(true)
    await page.locator('#f-summary').fill('Möte om hälsokommunikatörer i länet')
    for (const name of ['Andersson', 'Berg']) {
      await page.locator('#contact-q').fill(name)
      await page.keyboard.press('Enter') // must not submit the form
      // Wait for this search's matches, not the previous one's still on screen.
      const box = page.locator('#contact-choices .picker-results li', { hasText: name }).locator('input')
      await box.waitFor()
      await box.focus()
      await page.keyboard.press('Space')
    }
    // A new search keeps the earlier pick.
    await page.locator('#contact-q').fill('zzz')
    await page.locator('#contact-choices', { hasText: 'Inga träffar.' }).waitFor()
    expect(await page.locator('#contact-choices input:checked').count()).toBe(2)
    await page.locator('#f-follow_up_on').fill(day(-3))
    await page.getByLabel('Vad ska göras?').fill('Skicka metodmaterialet till Bertil')
    await Promise.all([page.waitForURL(/\/interactions\/[0-9a-f-]{36}$/), page.locator('form.record-form button[type=submit]').click()])
    interactionId = new URL(page.url()).pathname.split('/').pop()!
    const links = await page.locator('#links-h + dl a').allTextContents()
    expect(links).toEqual(['Anna Andersson', 'Bertil Berg', 'Länsstyrelsen i Jönköpings län'])
    await page.goto(`/organisations/${org.id}`)
    expect(await page.locator(`.timeline a[href="/interactions/${interactionId}"]`).textContent()).toBe('Möte om hälsokommunikatörer i länet')
  })

  it('shows the overdue follow-up on the dashboard and marks it done in place', async () => {
    await page.goto('/')
    const row = page.locator(`#follow-up-${interactionId}`)
    expect(await page.locator('#overdue-list').locator(`#follow-up-${interactionId}`).count()).toBe(1)
    // The follow-up's own line leads, not the meeting's summary.
    expect(await row.locator('.follow-up-note').innerText()).toBe('Skicka metodmaterialet till Bertil')
    expect(await row.innerText()).not.toContain('Möte om hälsokommunikatörer')
    await row.getByRole('button', { name: /Markera som klar/ }).click()
    await page.locator(`#follow-up-${interactionId}.is-done`).waitFor()
    expect(await page.locator(`#follow-up-${interactionId} button`).count()).toBe(0)
    await page.reload()
    expect(await page.locator(`#follow-up-${interactionId}`).count()).toBe(0)
  })

  const pages = () => ['/', '/themes', `/themes/${theme.id}`, '/interactions', '/interactions/new', `/interactions/${interactionId}`, `/interactions/${interactionId}/edit`]
  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the theme, interaction and dashboard pages with no serious axe violation at ${viewport.width} px`, async () => {
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
