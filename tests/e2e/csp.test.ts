import { expect, it } from 'vitest'
import { describeProblems, e2eDescribe, useE2E, watchProblems, type BrowserProblem } from './helpers/browser.ts'
import { ADMIN } from './helpers/server.ts'

e2eDescribe('content security policy in the browser', () => {
  const e2e = useE2E()

  it('notices a CSP violation when one happens (the watcher is not blind)', async () => {
    const context = await e2e.browser.newContext({ baseURL: e2e.server.url })
    try {
      const problems: BrowserProblem[] = []
      await watchProblems(context, problems)
      const page = await context.newPage()
      await page.goto('/login')
      await page.evaluate(() => {
        const script = document.createElement('script')
        script.textContent = 'document.title = "inline script ran"'
        document.body.append(script)
        document.body.setAttribute('style', 'outline: 1px solid red')
      })
      await expect.poll(() => problems.filter((p) => p.kind === 'csp').length).toBeGreaterThanOrEqual(2)
      expect(await page.title()).not.toBe('inline script ran')
      const csp = problems.filter((p) => p.kind === 'csp').map((p) => p.text).join('\n')
      expect(csp).toMatch(/script-src/)
      expect(csp).toMatch(/style-src/)
    } finally {
      await context.close()
    }
  })

  it('sends a CSP without unsafe-inline or unsafe-eval', async () => {
    const page = await (await e2e.newContext()).newPage()
    const res = await page.goto('/login')
    const csp = res?.headers()['content-security-policy'] ?? ''
    expect(csp).toMatch(/script-src 'self'/)
    expect(csp).toMatch(/style-src 'self'/)
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
  })

  it('shows the pages, runs htmx and submits forms without any CSP violation or console error', async () => {
    const context = await e2e.newContext()
    const page = await context.newPage()
    await page.goto('/login')
    await page.locator('#f-email').fill(ADMIN.email)
    await page.locator('#f-password').fill('fel lösenord, helt fel')
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('form[action="/login"] button').click()])
    await page.waitForLoadState()
    expect(await page.locator('.alert').textContent()).toBe('Fel e-postadress eller lösenord.')
    await page.locator('#f-password').fill(ADMIN.password)
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.locator('form[action="/login"] button').click()])

    for (const path of ['/', '/account', '/admin/users', '/admin/users/new', '/nonexistent', '/?lang=en', '/?lang=sv']) {
      await page.goto(path)
    }

    // htmx is loaded, took its configuration from the meta tag, and added no <style> of its own.
    await page.goto('/admin/users')
    const htmx = await page.evaluate(() => {
      const h = (window as unknown as { htmx?: { config: Record<string, unknown> } }).htmx
      return h
        ? { includeIndicatorStyles: h.config.includeIndicatorStyles, allowEval: h.config.allowEval, allowScriptTags: h.config.allowScriptTags, styles: document.querySelectorAll('style').length }
        : null
    })
    expect(htmx).toEqual({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, styles: 0 })

    // An htmx swap.
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).searchParams.get('role') === 'viewer'),
      page.locator('#f-role').selectOption('viewer'),
    ])
    await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'))

    // A form with errors, then the error summary's focus handling (static/js/app.js).
    await page.goto('/admin/users/new')
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin/users'), page.locator('form[action="/admin/users"] button[type=submit]').click()])
    expect(await page.locator('.error-summary').count()).toBe(1)

    // Logging out.
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.locator('.logout-form button').click()])

    const problems = e2e.problems.splice(0)
    expect(problems, `the browser reported:\n${describeProblems(problems)}`).toEqual([])
  })
})
