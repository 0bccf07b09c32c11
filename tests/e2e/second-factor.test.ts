import { generateHOTP } from '@oslojs/otp'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { expect, it } from 'vitest'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'
import { ADMIN } from './helpers/server.ts'

e2eDescribe('a second factor for a password account', () => {
  const e2e = useE2E()

  it('sets up TOTP from a QR code, shows the recovery codes once, and asks for a code at the next sign-in', async () => {
    const page = await e2e.signedInPage({ viewport: MOBILE })
    await page.goto('/account')
    await page.getByRole('link', { name: 'Aktivera tvåstegsverifiering' }).click()
    await page.getByRole('button', { name: 'Aktivera tvåstegsverifiering' }).click()
    await expect.poll(() => page.locator('figure.qr-code svg').count()).toBe(1)
    expect(formatViolations(await seriousViolations(page))).toBe('')
    const { scrollWidth, clientWidth } = await horizontalOverflow(page)
    expect(scrollWidth, 'the enrolment page fits 375 px').toBeLessThanOrEqual(clientWidth)
    const shown = (await page.locator('#manual-key').textContent())!.replace(/\s/g, '')
    const key = decodeBase32IgnorePadding(shown)
    const code = generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000)), 6)
    await page.getByLabel('Engångskod eller återställningskod').fill(code)
    await page.getByRole('button', { name: 'Bekräfta och aktivera' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Dina återställningskoder')
    const codes = await page.locator('.recovery-codes li').allTextContents()
    expect(codes).toHaveLength(10)
    expect(formatViolations(await seriousViolations(page))).toBe('')

    await page.setViewportSize(DESKTOP)
    await page.getByRole('button', { name: 'Logga ut' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
    await page.getByLabel('E-postadress').fill(ADMIN.email)
    await page.getByLabel('Lösenord').fill(ADMIN.password)
    await Promise.all([page.waitForURL((u) => u.pathname === '/login/code'), page.getByRole('button', { name: 'Logga in' }).click()])
    expect(formatViolations(await seriousViolations(page))).toBe('')
    await page.getByLabel('Engångskod eller återställningskod').fill(codes[0]!)
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Fortsätt' }).click()])
    expect(await page.locator('h1').textContent()).toBe('Översikt')
  })
})

