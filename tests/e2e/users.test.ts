import { beforeAll, expect, it } from 'vitest'
import type { Page, Response } from 'playwright-core'
import { e2eDescribe, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { createUserThroughForm } from './helpers/users.ts'

/** The names in the user table, in order. */
function listedNames(page: Page): Promise<string[]> {
  return page.locator('#user-results tbody tr td:first-child a').allTextContents()
}

/** Matches htmx's answer to a search of the user table for q. */
function usersAnswer(q: string): (r: Response) => boolean {
  return (r) => {
    const url = new URL(r.url())
    return url.pathname === '/admin/users' && (url.searchParams.get('q') ?? '') === q && r.request().headers()['hx-request'] === 'true'
  }
}

async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true))
}

/** True while the document marked by markDocument() is still the one shown (no full reload). */
async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true)
}

e2eDescribe('user administration', () => {
  const e2e = useE2E()
  let admin: Page

  beforeAll(async () => {
    admin = await e2e.signedInPage()
  })

  it('lets the admin create a user through the form and then see it in the list', async () => {
    await createUserThroughForm(admin, { name: 'Bertil Berglund', email: 'bertil.berglund@example.se', role: 'editor' })
    expect(new URL(admin.url()).pathname).toBe('/admin/users')
    expect((await admin.locator('#flash').textContent())?.trim()).toBe('Användaren är skapad.')
    const row = admin.locator('#user-results tbody tr', { hasText: 'bertil.berglund@example.se' })
    expect(await row.count()).toBe(1)
    expect(await row.locator('td').allTextContents()).toEqual(['Bertil Berglund', 'bertil.berglund@example.se', 'Redaktör', 'Aktiv', 'Aldrig'])

    // The new user can sign in with the password the admin gave.
    const page = await e2e.signedInPage({ email: 'bertil.berglund@example.se', password: 'Kanelbullar med kardemumma' })
    expect(await page.locator('h1').textContent()).toBe('Översikt')
    expect(await page.locator('.account-link').textContent()).toBe('Bertil Berglund')
    // An editor has no user administration.
    expect(await page.locator('.main-nav a[href="/admin/users"]').count()).toBe(0)
    expect((await page.goto('/admin/users'))?.status()).toBe(403)
    await page.context().close()
  })

  it('filters the user table through htmx as the admin types, without reloading the page', async () => {
    await createUserThroughForm(admin, { name: 'Cecilia Cederlund', email: 'cecilia.cederlund@example.se' })
    await createUserThroughForm(admin, { name: 'David Dahlberg', email: 'david.dahlberg@example.se' })
    await admin.goto('/admin/users')
    const everyone = await listedNames(admin)
    expect(everyone).toEqual(expect.arrayContaining(['Cecilia Cederlund', 'David Dahlberg']))
    expect(everyone.length).toBeGreaterThanOrEqual(3)

    // A full page load would lose this marker.
    await markDocument(admin)
    const search = admin.locator('#f-q')
    await search.focus()
    const [response] = await Promise.all([
      admin.waitForResponse((r) => new URL(r.url()).pathname === '/admin/users' && new URL(r.url()).searchParams.get('q') === 'cecil'),
      admin.keyboard.type('cecil'),
    ])
    expect(response.request().headers()['hx-request']).toBe('true')
    await expect.poll(() => listedNames(admin)).toEqual(['Cecilia Cederlund'])
    expect(response.status()).toBe(200)
    // The answer is the table fragment, not a whole document.
    expect(await response.text()).not.toMatch(/<html/i)

    expect(await sameDocument(admin)).toBe(true)
    expect(await search.inputValue()).toBe('cecil')
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('f-q')
    // hx-push-url: the address can be bookmarked and reloaded.
    expect(new URL(admin.url()).searchParams.get('q')).toBe('cecil')

    // Searching by e-mail works too, and clearing the box brings everyone back.
    // Each search waits for its own answer: at the end of a long CI run the server can take longer
    // than a poll's few seconds, and the table must then show this answer, not the one before.
    await Promise.all([admin.waitForResponse(usersAnswer('david.dahl')), search.fill('david.dahl')])
    await expect.poll(() => listedNames(admin)).toEqual(['David Dahlberg'])
    await Promise.all([admin.waitForResponse(usersAnswer('')), search.fill('')])
    await expect.poll(() => listedNames(admin)).toEqual(everyone)
    expect(await sameDocument(admin)).toBe(true)

    // Loading the pushed address directly shows the same filtered table.
    await admin.goto('/admin/users?q=cecil')
    expect(await listedNames(admin)).toEqual(['Cecilia Cederlund'])
  })

  it('filters the user table by role through htmx, without reloading the page', async () => {
    await createUserThroughForm(admin, { name: 'Frida Forsberg', email: 'frida.forsberg@example.se', role: 'admin' })
    await admin.goto('/admin/users')
    expect((await listedNames(admin)).length).toBeGreaterThan(2)
    await markDocument(admin)

    const [response] = await Promise.all([
      admin.waitForResponse((r) => new URL(r.url()).pathname === '/admin/users' && new URL(r.url()).searchParams.get('role') === 'admin'),
      admin.locator('#f-role').selectOption('admin'),
    ])
    expect(response.request().headers()['hx-request']).toBe('true')
    expect(response.status()).toBe(200)
    expect(await response.text()).not.toMatch(/<html/i)
    await expect.poll(() => listedNames(admin)).toEqual(['anna.admin', 'Frida Forsberg'])
    expect(await admin.locator('#user-results tbody tr td:nth-child(3)').allTextContents()).toEqual(['Administratör', 'Administratör'])
    expect(await sameDocument(admin)).toBe(true)
    expect(new URL(admin.url()).searchParams.get('role')).toBe('admin')
  })

  it('keeps what was typed and says someone else changed the user when a stale edit form is saved', async () => {
    const { editPath } = await createUserThroughForm(admin, { name: 'Erik Ekström', email: 'erik.ekstrom@example.se' })
    const updatePath = editPath.replace(/\/edit$/, '')
    const first = admin
    const second = await admin.context().newPage()
    await first.goto(editPath)
    await second.goto(editPath)

    await first.locator('#f-name').fill('Erik Ek')
    await Promise.all([first.waitForURL((u) => u.pathname === '/admin/users'), first.locator(`form[action="${updatePath}"] button[type=submit]`).click()])
    expect((await first.locator('#flash').textContent())?.trim()).toBe('Ändringarna är sparade.')

    await second.locator('#f-name').fill('Erik Ekström-Lind')
    await second.locator('#f-role-editor').check()
    const [res] = await Promise.all([
      second.waitForResponse((r) => r.request().method() === 'POST'),
      second.waitForURL((u) => u.pathname === updatePath),
      second.locator(`form[action="${updatePath}"] button[type=submit]`).click(),
    ])
    expect(res.status()).toBe(409)
    const alert = second.locator('.alert[role=alert]')
    expect((await alert.textContent())?.trim()).toMatch(/^Någon annan har ändrat uppgifterna/)
    expect(await second.locator('#f-name').inputValue()).toBe('Erik Ekström-Lind')
    expect(await second.locator('#f-role-editor').isChecked()).toBe(true)
    // What is stored now is shown next to the field.
    expect((await second.locator('.field:has(#f-name) .stored').textContent())?.trim()).toBe('Sparat nu: Erik Ek')
    const violations = await seriousViolations(second)
    expect(violations, formatViolations(violations)).toEqual([])

    // Saving again, knowingly, overwrites.
    await Promise.all([
      second.waitForURL((u) => u.pathname === '/admin/users'),
      second.locator(`form[action="${updatePath}"] button[type=submit]`).click(),
    ])
    const row = second.locator('#user-results tbody tr', { hasText: 'erik.ekstrom@example.se' })
    expect(await row.locator('td').nth(0).textContent()).toBe('Erik Ekström-Lind')
    expect(await row.locator('td').nth(2).textContent()).toBe('Redaktör')
    await second.close()
  })
})
