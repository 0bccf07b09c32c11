import { expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { e2eDescribe, focusState, useE2E } from './helpers/browser.ts'
import { ADMIN } from './helpers/server.ts'

/** Presses `key` and returns the newly focused element, which must show a focus indicator. */
async function press(page: Page, key: string) {
  await page.keyboard.press(key)
  const focus = await focusState(page)
  expect(focus.visibleIndicator, `no visible focus indicator on <${focus.tag} id="${focus.id}"> "${focus.text}" (outline: ${focus.outline}; box-shadow: ${focus.boxShadow})`).toBe(true)
  return focus
}

e2eDescribe('signing in and out, and choosing the language', () => {
  const e2e = useE2E()

  it('logs in with the keyboard alone', async () => {
    const context = await e2e.newContext()
    const page = await context.newPage()
    await page.goto('/login')
    await expect.poll(() => page.locator('h1').textContent()).toBe('Logga in')

    // Nothing is focused on arrival (no autofocus): the first Tab reaches the skip link, on screen
    // when focused; following it lands in <main>, and the next Tab in the e-mail field.
    let focus = await press(page, 'Tab')
    expect(focus.text).toBe('Hoppa till innehållet')
    const box = await page.locator('.skip-link').boundingBox()
    expect(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen').toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main')
    expect(new URL(page.url()).hash).toBe('#main')
    focus = await press(page, 'Tab')
    expect(focus.id).toBe('f-email')

    await page.keyboard.type(ADMIN.email)
    focus = await press(page, 'Tab')
    expect(focus.id).toBe('f-password')
    await page.keyboard.type(ADMIN.password)
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.keyboard.press('Enter')])
    expect(await page.locator('h1').textContent()).toBe('Översikt')

    // On an ordinary page the first Tab reaches the skip link.
    focus = await press(page, 'Tab')
    expect(focus.text).toBe('Hoppa till innehållet')
  })

  it('logs out from the header button with the keyboard', async () => {
    const page = await e2e.signedInPage()
    await page.goto('/account')
    const stops: string[] = []
    let focus = await focusState(page)
    for (let i = 0; i < 40 && !(focus.tag === 'button' && focus.text === 'Logga ut'); i++) {
      focus = await press(page, 'Tab')
      stops.push(focus.text)
    }
    expect(focus.tag === 'button' && focus.text === 'Logga ut', `the logout button was not reached; tab stops: ${stops.join(' | ')}`).toBe(true)
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.keyboard.press('Enter')])
    expect((await page.locator('#flash').textContent())?.trim()).toBe('Du är utloggad.')

    // The session is over: the dashboard sends the browser back to the login form.
    await page.goto('/')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await page.locator('#flash').textContent()).not.toContain('Du är utloggad.')
  })

  it('switches to English from the link on the login page and keeps English on the next pages', async () => {
    const context = await e2e.newContext()
    const page = await context.newPage()
    await page.goto('/login')
    expect(await page.getAttribute('html', 'lang')).toBe('sv')
    expect(await page.locator('h1').textContent()).toBe('Logga in')

    await Promise.all([page.waitForResponse((r) => /[?&]lang=en/.test(r.url())), page.getByRole('link', { name: 'English' }).click()])
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.locator('h1').textContent()).toBe('Log in')
    expect(await page.getByRole('button', { name: 'Log in' }).count()).toBe(1)
    expect(await page.getByRole('link', { name: 'English' }).getAttribute('aria-current')).toBe('true')
    expect((await context.cookies()).find((c) => c.name === 'lang')?.value).toBe('en')

    // Without ?lang= the cookie decides, also after signing in.
    await page.goto('/login')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.locator('#f-email').fill(ADMIN.email)
    await page.locator('#f-password').fill(ADMIN.password)
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Log in' }).click()])
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await page.locator('h1').textContent()).toBe('Overview')
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(1)

    // And back to Swedish.
    await Promise.all([page.waitForResponse((r) => /[?&]lang=sv/.test(r.url())), page.getByRole('link', { name: 'Svenska' }).click()])
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('sv')
    expect(await page.locator('h1').textContent()).toBe('Översikt')
    // The switch leaves no ?lang= behind in the address.
    await expect.poll(() => new URL(page.url()).search).toBe('')
  })
})
