import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startSmtp } from '../helpers/smtp.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'

type Smtp = Awaited<ReturnType<typeof startSmtp>>

e2eDescribe('the public newsletter pages in the browser', () => {
  let smtp: Smtp
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(() => smtp?.close())
  const e2e = useE2E({ env: () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'Navet <navet@example.se>' }) })
  let admin: Page
  let anonymous: Page
  let listId: string
  const pages: string[] = ['/newsletter']

  beforeAll(async () => {
    admin = await e2e.signedInPage()
    anonymous = await (await e2e.newContext()).newPage()
    const res = await admin.request.post('/api/v1/newsletter/lists', { data: { name: 'Nyhetsbrev asyl & integration', description: 'En gång i månaden' } })
    expect(res.status()).toBe(201)
    listId = (await res.json()).id
  })

  const linkOf = (text: string, path: string) => new RegExp(`(http://127\\.0\\.0\\.1:\\d+${path}[^\\s>]*)`).exec(text)?.[1]

  it('signs a visitor up with the keyboard, and the link in the e-mail confirms at once', async () => {
    await anonymous.goto('/newsletter')
    await anonymous.locator('#f-name').fill('Karin Lind')
    await anonymous.locator('#f-email').fill('karin.lind@example.org')
    await anonymous.locator('#f-organisation').fill('Migrationsverket')
    await anonymous.locator(`#list-${listId}`).focus()
    await anonymous.keyboard.press('Space')
    await Promise.all([anonymous.waitForURL('**/newsletter/subscribe'), anonymous.locator('button[type=submit]', { hasText: 'Prenumerera' }).press('Enter')])
    expect(await anonymous.locator('h1').textContent()).toBe('Bekräfta din prenumeration')
    const [mail] = await smtp.waitFor(1)
    const link = linkOf(mail!.mail.text ?? '', '/newsletter/confirm')
    expect(link).toBeTruthy()
    await anonymous.goto(link!)
    await anonymous.locator('text=Tack! Din prenumeration är bekräftad.').waitFor()
    const subs = await (await admin.request.get(`/api/v1/newsletter/lists/${listId}/subscribers`)).json()
    expect(subs.data[0]).toMatchObject({ email: 'karin.lind@example.org', status: 'subscribed' })
    pages.push(new URL(link!).pathname + new URL(link!).search)
  })

  it('without script the confirmation page shows a button that confirms (a second use still succeeds)', async () => {
    const noScript = await (await e2e.newContext({ javaScriptEnabled: false })).newPage()
    await noScript.goto(pages[1]!)
    expect(await noScript.locator('h1').textContent()).toBe('Bekräfta prenumeration')
    await noScript.locator('button', { hasText: 'Bekräfta prenumerationen' }).click()
    await noScript.locator('text=Tack! Din prenumeration är bekräftad.').waitFor()
  })

  it('an issue reaches the subscriber with a working unsubscribe page, and appears in the archive', async () => {
    const issue = await (await admin.request.post('/api/v1/newsletter/issues', { data: { list_ids: [listId], subject: 'Decembernumret', body: 'Hej!\n\nNytt från nätverket.' } })).json()
    expect((await admin.request.post(`/api/v1/newsletter/issues/${issue.id}/send`, { data: {} })).status()).toBe(202)
    const mails = await smtp.waitFor(2, 60_000)
    const unsubscribe = linkOf(mails[1]!.mail.text ?? '', '/newsletter/unsubscribe')!
    await anonymous.goto(unsubscribe)
    expect(await anonymous.locator('h1').textContent()).toBe('Avsluta prenumeration')
    pages.push(new URL(unsubscribe).pathname, `/newsletter/issues/${issue.id}`)
    for (let i = 0; i < 40; i++) {
      if ((await (await admin.request.get(`/api/v1/newsletter/issues/${issue.id}`)).json()).status === 'sent') break
      await anonymous.waitForTimeout(250)
    }
    await anonymous.goto('/newsletter')
    await anonymous.locator('.archive a', { hasText: 'Decembernumret' }).click()
    expect(await anonymous.locator('h1').textContent()).toBe('Decembernumret')
    await anonymous.goto(unsubscribe)
    await anonymous.locator('button', { hasText: 'Avsluta Nyhetsbrev asyl & integration' }).click()
    await anonymous.locator('text=Klart. Du får inte fler utskick från det nyhetsbrevet.').waitFor()
  })

  for (const viewport of [MOBILE, DESKTOP]) {
    for (const lang of ['sv', 'en']) {
      it(`has no serious axe violation on the public pages at ${viewport.width} px in ${lang}`, async () => {
        const page = await (await e2e.newContext({ viewport })).newPage()
        // The confirmation page as a person without script sees it: the form stays (axe needs script).
        await page.route('**/static/js/auto-submit.js', (r) => r.fulfill({ contentType: 'text/javascript', body: '' }))
        const tooWide: string[] = []
        for (const path of pages) {
          const url = path + (path.includes('?') ? '&' : '?') + `lang=${lang}`
          const res = await page.goto(url)
          expect(res?.status(), url).toBe(200)
          const violations = await seriousViolations(page)
          expect(violations, `axe found on ${url}:\n${formatViolations(violations)}`).toEqual([])
          const { scrollWidth } = await horizontalOverflow(page)
          if (scrollWidth > viewport.width + 1) tooWide.push(`${url}: ${scrollWidth} px`)
        }
        // The sign-up form's errors, and the "check your inbox" page.
        await page.goto(`/newsletter?lang=${lang}`)
        await page.locator('form[action="/newsletter/subscribe"] button[type=submit]').click()
        await page.locator('.error-summary').waitFor()
        expect(await seriousViolations(page)).toEqual([])
        expect(tooWide).toEqual([])
      })
    }
  }
})
