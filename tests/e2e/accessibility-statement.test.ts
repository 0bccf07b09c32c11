import { expect, it } from 'vitest'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

e2eDescribe('the accessibility statement', () => {
  const e2e = useE2E({ env: { ACCESSIBILITY_ORGANISATION: 'Länsstyrelsen i Östergötlands län', ACCESSIBILITY_EMAIL: 'tillganglighet@example.se' } })

  it('is linked from the footer of a public page and says who answers for it, how well it conforms and where to complain', async () => {
    const page = await (await e2e.newContext()).newPage()
    await page.goto('/login')
    const link = page.locator('footer').getByRole('link', { name: 'Tillgänglighet' })
    await Promise.all([page.waitForURL((u) => u.pathname === '/accessibility'), link.click()])
    expect(await page.locator('h1').textContent()).toBe('Tillgänglighetsredogörelse')
    const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ')
    expect(text).toContain('Länsstyrelsen i Östergötlands län står bakom Navet')
    expect(text).toContain('delvis förenlig med lagen om tillgänglighet till digital offentlig service')
    expect(text).toContain('Nätverksgrafen ritas på en canvas')
    expect(text).toContain('fliken Tabell')
    expect(text).toMatch(/Senaste bedömningen gjordes \d{4}-\d\d-\d\d/)
    expect(await page.getByRole('link', { name: 'tillganglighet@example.se' }).getAttribute('href')).toBe('mailto:tillganglighet@example.se')
    expect(await page.getByRole('link', { name: /Digg/ }).getAttribute('href')).toBe('https://www.digg.se/tdosanmalan')
    expect(await page.locator('footer a[aria-current="page"]').textContent()).toBe('Tillgänglighet')
    await page.context().close()
  })

  it('is in English too, and the signed-in pages link to it from their footer', async () => {
    const page = await e2e.signedInPage()
    await page.goto('/organisations?lang=en')
    await Promise.all([page.waitForURL((u) => u.pathname === '/accessibility'), page.locator('footer').getByRole('link', { name: 'Accessibility' }).click()])
    expect(await page.locator('h1').textContent()).toBe('Accessibility statement')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.locator('main').innerText()).toContain('partially compliant')
    await page.context().close()
  })

  for (const lang of ['sv', 'en'] as const) {
    for (const viewport of [DESKTOP, MOBILE]) {
      it(`has no serious axe violations in ${lang} at ${viewport.width} px and fits the screen`, async () => {
        const page = await (await e2e.newContext({ viewport })).newPage()
        expect((await page.goto(`/accessibility?lang=${lang}`))?.status()).toBe(200)
        const violations = await seriousViolations(page)
        expect(violations, formatViolations(violations)).toEqual([])
        const { scrollWidth, clientWidth } = await horizontalOverflow(page)
        expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
        await page.context().close()
      })
    }
  }
})
