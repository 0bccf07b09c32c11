import { beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

e2eDescribe('personal data pages', () => {
  const e2e = useE2E()
  let contactPath = ''
  let storage: Awaited<ReturnType<Page['context']>>['storageState'] extends () => Promise<infer S> ? S : never

  beforeAll(async () => {
    const page = await e2e.signedInPage()
    await page.goto('/contacts/new')
    await page.locator('#f-first_name').fill('Petra')
    await page.locator('#f-last_name').fill('Personuppgift')
    await page.locator('#f-email').fill('petra.personuppgift@example.se')
    await Promise.all([page.waitForURL((u) => /^\/contacts\/[0-9a-f-]{36}$/.test(u.pathname)), page.locator('form.record-form button[type=submit]').first().click()])
    contactPath = new URL(page.url()).pathname
    await page.goto('/admin/privacy')
    await page.locator('#f-reference').fill('Dnr 2026/1')
    await page.locator('#f-title').fill('Gallring av kontaktuppgifter')
    await page.locator('#f-decided_on').fill('2026-01-01')
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin/privacy'), page.locator('form[action="/admin/privacy/decisions"] button[type=submit]').click()])
    storage = await page.context().storageState()
    await page.context().close()
  })

  it('restricts a person from the erase page by typing the full name, and the wrong name is refused at the field', async () => {
    const page = await (await e2e.newContext({ storageState: storage })).newPage()
    await page.goto(`${contactPath}/erase`)
    await page.getByLabel('Begränsa behandlingen').check()
    await page.locator('#f-confirm').fill('Petra Fel')
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('form[action$="/erase"] button[type=submit]').click()])
    expect(await page.locator('#f-confirm').getAttribute('aria-invalid')).toBe('true')
    await page.locator('#f-confirm').fill('Petra Personuppgift')
    await Promise.all([page.waitForURL((u) => u.pathname === contactPath), page.locator('form[action$="/erase"] button[type=submit]').click()])
    expect(await page.locator('main').innerText()).toContain('Behandlingen av personens uppgifter är begränsad')
    await page.context().close()
  })

  const pages = () => [
    { path: '/privacy', signedIn: false },
    { path: `${contactPath}/extract`, signedIn: true },
    { path: `${contactPath}/erase`, signedIn: true },
    { path: '/admin/privacy', signedIn: true },
    { path: '/admin/privacy/record', signedIn: true },
    { path: '/admin/retention', signedIn: true },
    { path: '/admin/audit', signedIn: true },
    { path: `/history/contact/${contactPath.split('/')[2]}`, signedIn: true },
  ]

  for (const lang of ['sv', 'en'] as const) {
    for (const viewport of [MOBILE, DESKTOP]) {
      it(`has no serious axe violations in ${lang} at ${viewport.width} px, and fits the screen`, async () => {
        const signedIn = await (await e2e.newContext({ storageState: storage, viewport })).newPage()
        const anonymous = await (await e2e.newContext({ viewport })).newPage()
        for (const p of pages()) {
          const page = p.signedIn ? signedIn : anonymous
          expect((await page.goto(`${p.path}?lang=${lang}`))?.status(), p.path).toBe(200)
          expect(await page.locator('html').getAttribute('lang')).toBe(lang)
          const violations = await seriousViolations(page)
          expect(violations, `${p.path}: ${formatViolations(violations)}`).toEqual([])
          const { scrollWidth, clientWidth } = await horizontalOverflow(page)
          expect(scrollWidth, p.path).toBeLessThanOrEqual(clientWidth)
        }
        await signedIn.context().close()
        await anonymous.context().close()
      }, 120_000)
    }
  }
})
