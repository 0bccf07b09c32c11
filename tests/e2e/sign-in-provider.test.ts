import { afterAll, beforeAll, expect, it } from 'vitest'
import { CLIENT_ID, CLIENT_SECRET, startOidcProvider, type TestProvider } from '../helpers/oidc-provider.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { e2eDescribe, MOBILE, useE2E } from './helpers/browser.ts'

let idp: TestProvider

beforeAll(async () => {
  idp = await startOidcProvider({
    'sub-maria': { email: 'maria.mattsson@myndigheten.example', name: 'Maria Mattsson', groups: ['navet-admins'] },
    'sub-kim': { email: 'kim.karlsson@myndigheten.example', name: 'Kim Karlsson', groups: ['kitchen'] },
  })
})
afterAll(() => idp?.close())

e2eDescribe('signing in with the agency’s identity provider', () => {
  const e2e = useE2E({
    env: () => ({
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_ROLE_MAP: 'navet-admins=admin,navet-editors=editor',
      OIDC_NAME: 'Myndigheten',
    }),
  })
  beforeAll(() => idp.setRedirectUris([`${e2e.server.url}/auth/oidc/callback`]))

  async function throughProvider(login: string) {
    const context = await e2e.newContext()
    // The provider's development pages ask for a web font; this machine has no internet.
    await context.route('https://fonts.googleapis.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/css', body: '' }))
    const page = await context.newPage()
    await page.goto('/organisations')
    await expect.poll(() => page.locator('h1').textContent()).toBe('Logga in')
    // The provider comes first: its button is the first thing after the heading.
    const button = page.getByRole('link', { name: 'Logga in med Myndigheten' })
    expect(await page.locator('main a.button, main button').first().textContent()).toContain('Logga in med Myndigheten')
    await button.click()
    await page.waitForURL((u) => u.origin === idp.issuer)
    await page.locator('input[name="login"]').fill(login)
    await page.locator('input[name="password"]').fill('whatever the provider wants')
    await page.locator('button[type="submit"]').click()
    // The provider's consent page, then back to Navet.
    await page.locator('button[type="submit"]').click()
    await page.waitForURL((u) => u.origin === e2e.server.url)
    return page
  }

  it('goes from the login page to the provider and back, signed in with the role of the group', async () => {
    const page = await throughProvider('sub-maria')
    expect(new URL(page.url()).pathname).toBe('/organisations')
    expect(await page.locator('h1').textContent()).toBe('Organisationer')
    // navet-admins → admin: the user administration opens.
    await page.goto('/admin/users')
    expect(await page.locator('h1').textContent()).not.toContain('behörighet')
    expect(await page.locator('main').textContent()).toContain('maria.mattsson@myndigheten.example')
  })

  it('explains a refusal on a plain page, readable and accessible', async () => {
    const page = await throughProvider('sub-kim')
    expect(await page.locator('h1').textContent()).toBe('Inloggningen misslyckades')
    expect(await page.getByRole('alert').textContent()).toContain('Ditt konto hos Myndigheten ger inte tillgång till Navet')
    expect(formatViolations(await seriousViolations(page))).toBe('')
    await page.getByRole('link', { name: 'Försök igen' }).click()
    await page.waitForURL((u) => u.pathname === '/login')
  })

  it('has an accessible login page with the provider button, also at 375 px', async () => {
    const context = await e2e.newContext({ viewport: MOBILE })
    const page = await context.newPage()
    await page.goto('/login')
    expect(formatViolations(await seriousViolations(page))).toBe('')
    const box = await page.getByRole('link', { name: 'Logga in med Myndigheten' }).boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= MOBILE.width).toBe(true)
  })
})
