import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

e2eDescribe('composing a newsletter in the browser', () => {
  const e2e = useE2E()
  let page: Page
  let preview = ''

  beforeAll(async () => {
    page = await e2e.signedInPage()
    const res = await page.request.post('/api/v1/newsletter/lists', { data: { name: 'Nyhetsbrev asyl & integration' } })
    expect(res.status()).toBe(201)
    await page.request.post('/api/v1/products', { data: { title: 'Hälsokommunikatörer', kind: 'method', public: true, summary: 'Utrikes födda med vårdutbildning informerar nyanlända.' } })
  })

  it('writes an issue with a section and a picked idea, and lands on its preview', async () => {
    await page.setViewportSize(DESKTOP)
    await page.goto('/newsletter/compose')
    await page.locator('#f-subject').fill('Nyhetsbrev februari')
    await page.locator('#f-intro').fill('Hej!\n\nHär är månadens nyheter.')
    await page.locator('[id="f-sections.0.heading"]').fill('Goda exempel')
    await page.locator('#f-0-idea_ids').selectOption({ label: 'Hälsokommunikatörer' })
    await page.locator('#compose-form input[name="list_ids"]').first().check()
    await Promise.all([page.waitForURL(/\/newsletter\/compose\/[0-9a-f-]{36}$/), page.locator('#compose-form button[type="submit"]').click()])
    preview = new URL(page.url()).pathname
    expect(await page.locator('#mail-html h2').textContent()).toBe('Goda exempel')
    expect(await page.locator('#mail-html a').first().textContent()).toBe('Hälsokommunikatörer')
    await page.screenshot({ path: '/tmp/compose-preview.png', fullPage: true })
  })

  for (const viewport of [DESKTOP, MOBILE]) {
    it(`shows the compose and preview pages with no serious axe violation and nothing too wide at ${viewport.width} px`, async () => {
      await page.setViewportSize(viewport)
      const tooWide: string[] = []
      for (const path of ['/newsletter/compose', preview]) {
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
