import { expect, it } from 'vitest'
import { e2eDescribe, useE2E } from './helpers/browser.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'

// Issue 14: loading the demo from /setup took 17.6 s behind a static "Tar några sekunder".
e2eDescribe('setting up with the demo network', () => {
  const e2e = useE2E({ withoutAdmin: true })

  it('shows how far the load has come, step by step, and ends on the dashboard', { timeout: 300_000 }, async () => {
    const page = await (await e2e.newContext()).newPage()
    await page.goto('/setup')
    await page.locator('#f-name').fill('Maja Admin')
    await page.locator('#f-email').fill('maja@example.se')
    await page.locator('#f-password').fill('första admin-lösenordet')
    await page.locator('#f-demo').check()
    await Promise.all([page.waitForURL((u) => u.pathname === '/setup/demo'), page.locator('form[action="/setup"] button[type=submit]').click()])
    const bar = page.locator('#demo-bar')
    await expect.poll(() => bar.count()).toBe(1)
    expect(await page.locator('label[for="demo-bar"]').textContent()).toBeTruthy()
    const violations = await seriousViolations(page)
    expect(violations, formatViolations(violations)).toEqual([])
    // htmx polls the fragment: the page stays, the bar and the named step move.
    const seen = new Set<string>()
    const values: number[] = []
    while (new URL(page.url()).pathname === '/setup/demo') {
      const state = await page.evaluate(() => ({
        value: (document.querySelector('#demo-bar') as HTMLProgressElement | null)?.value,
        step: document.querySelector('[data-demo-step]')?.getAttribute('data-demo-step'),
        text: document.querySelector('#demo-progress [role=status]')?.textContent ?? '',
      })).catch(() => null) // the page may be navigating to the dashboard
      if (state?.step) {
        seen.add(state.step)
        values.push(state.value!)
        expect(state.text).toMatch(/\d+ % klart – \S/)
      }
      await page.waitForTimeout(500)
    }
    expect(seen.size, [...seen].join(', ')).toBeGreaterThanOrEqual(3)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    await page.waitForURL((u) => u.pathname === '/')
    await expect.poll(() => page.locator('#flash .flash').textContent()).toContain('demonätverket är laddat')
    expect(await page.locator('h1').first().textContent()).toBeTruthy()
  })
})
