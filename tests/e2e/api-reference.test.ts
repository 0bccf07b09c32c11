import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

e2eDescribe('the API reference page', () => {
  const e2e = useE2E()
  let page: Page
  beforeAll(async () => {
    page = await (await e2e.newContext()).newPage()
  })

  for (const lang of ['sv', 'en'] as const) {
    for (const viewport of [DESKTOP, MOBILE]) {
      it(`reads without signing in, in ${lang} at ${viewport.width} px, with no serious axe violation and no sideways scrolling`, async () => {
        await page.setViewportSize(viewport)
        const res = await page.goto(`/api-reference?lang=${lang}`)
        expect(res?.status()).toBe(200)
        expect(await page.getAttribute('html', 'lang')).toBe(lang)
        expect(await page.locator('h2', { hasText: 'POST /api/v1/sessions' }).count()).toBe(1)
        // The table of contents leads to each operation by keyboard.
        const link = page.locator('a[href="#postSessions"]')
        await link.focus()
        await page.keyboard.press('Enter')
        await expect.poll(() => new URL(page.url()).hash).toBe('#postSessions')
        const violations = await seriousViolations(page)
        expect(violations, formatViolations(violations)).toEqual([])
        const { scrollWidth, clientWidth } = await horizontalOverflow(page)
        expect(scrollWidth, 'page wider than the window').toBeLessThanOrEqual(clientWidth)
      })
    }
  }
})
