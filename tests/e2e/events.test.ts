import fs from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { startSmtp } from '../helpers/smtp.ts'
import { formatViolations, seriousViolations } from './helpers/axe.ts'
import { DESKTOP, e2eDescribe, horizontalOverflow, MOBILE, useE2E } from './helpers/browser.ts'

type Smtp = Awaited<ReturnType<typeof startSmtp>>

e2eDescribe('event registration and check-in in the browser', () => {
  let smtp: Smtp
  beforeAll(async () => {
    smtp = await startSmtp()
  })
  afterAll(() => smtp?.close())
  const e2e = useE2E({ env: () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'Navet <navet@example.se>' }) })
  let admin: Page
  let activityId: string
  let cancelPath: string

  beforeAll(async () => {
    admin = await e2e.signedInPage()
    const a = await admin.request.post('/api/v1/activities', { data: { title: 'Seminarium om etablering', type: 'seminar', start_date: '2099-06-10', location: 'Länsstyrelsen i Skåne, Malmö', participants: [] } })
    expect(a.status()).toBe(201)
    activityId = (await a.json()).id
    const s = await admin.request.put(`/api/v1/activities/${activityId}/registration`, {
      data: { open: true, capacity: 1, questions: [{ label: 'Specialkost', kind: 'text' }, { label: 'Vilket pass?', kind: 'choice', options: ['Förmiddag', 'Eftermiddag'], required: true }] },
    })
    expect(s.status()).toBe(200)
  })

  it('registers a visitor with the keyboard; the mail has a cancel link that asks before cancelling', async () => {
    const page = await (await e2e.newContext({ viewport: MOBILE })).newPage()
    await page.goto(`/events/${activityId}`)
    expect(await page.locator('h1').textContent()).toBe('Seminarium om etablering')
    await page.locator('#f-name').fill('Karin Lind')
    await page.locator('#f-email').fill('karin.lind@example.org')
    await page.locator('#f-organisation').fill('Migrationsverket')
    await page.getByLabel('Förmiddag').focus()
    await page.keyboard.press('Space')
    await Promise.all([page.waitForURL(`**/events/${activityId}`), page.locator('button[type=submit]', { hasText: 'Anmäl mig' }).press('Enter')])
    expect(await page.locator('h1').textContent()).toBe('Du är anmäld')
    const [mail] = await smtp.waitFor(1)
    const link = /(http:\/\/127\.0\.0\.1:\d+\/events\/cancel\?token=[a-z2-7]{40})/.exec(mail!.mail.text ?? '')![1]!
    cancelPath = new URL(link).pathname + new URL(link).search
    // The event is full now: the next visitor is told about the waitlist.
    await page.goto(`/events/${activityId}`)
    await page.locator('text=Alla platser är tagna').waitFor()
    await page.screenshot({ path: '/tmp/events-register-375.png', fullPage: true })
  })

  it('checks a registered person in at 375 px with the keyboard (htmx), and the count follows', async () => {
    const page = await e2e.signedInPage({ viewport: MOBILE })
    await page.goto(`/activities/${activityId}/check-in`)
    await page.locator('text=0 av 1 har kommit').waitFor()
    const button = page.getByRole('button', { name: /^Har kommit.*Karin Lind$/ })
    await button.focus()
    await page.keyboard.press('Enter')
    await page.locator('.check-in-row.arrived', { hasText: 'Karin Lind' }).waitFor()
    await page.locator('text=1 av 1 har kommit').waitFor()
    expect((await horizontalOverflow(page)).scrollWidth).toBeLessThanOrEqual(MOBILE.width + 1)
    await page.screenshot({ path: '/tmp/events-check-in-375.png', fullPage: true })
    const activity = await (await admin.request.get(`/api/v1/activities/${activityId}`)).json()
    expect(activity.participants[0].attendance).toBe('attended')
    // Undo, so the list is as at the door for the checks below.
    await page.getByRole('button', { name: /^Ångra.*Karin Lind$/ }).press('Enter')
    await page.locator('text=0 av 1 har kommit').waitFor()
  })

  it('the check-in list has a keyboard-reachable Print button (a static script), and prints without the chrome', async () => {
    const page = await e2e.signedInPage({ viewport: DESKTOP })
    await page.goto(`/activities/${activityId}/check-in`)
    const print = page.getByRole('button', { name: 'Skriv ut' })
    await print.waitFor()
    // Reached from the page's top with Tab, like every other control.
    let reached = false
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab')
      reached = await print.evaluate((el) => el === document.activeElement)
    }
    expect(reached).toBe(true)
    // Enter opens the print dialog: window.print is replaced to see it called (a headless browser shows no dialog).
    await page.evaluate(() => { (window as unknown as { printed: number }).printed = 0; window.print = () => { (window as unknown as { printed: number }).printed++ } })
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
    await page.emulateMedia({ media: 'print' })
    expect(await print.isVisible()).toBe(false)
    expect(await page.locator('.site-header').isVisible()).toBe(false)
    expect(await page.locator('.breadcrumb').isVisible()).toBe(false)
    expect(await page.locator('.check-in-row form').first().isVisible()).toBe(false)
    expect(await page.locator('.check-in-row .who', { hasText: 'Karin Lind' }).isVisible()).toBe(true)
    expect(await page.locator('.check-in-row .check-box').first().isVisible()).toBe(true)
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    fs.writeFileSync('/tmp/events-check-in.pdf', pdf)
    await page.emulateMedia({ media: 'screen' })
  })

  for (const viewport of [MOBILE, DESKTOP]) {
    for (const lang of ['sv', 'en']) {
      it(`has no serious axe violation on the registration, cancel, settings and check-in pages at ${viewport.width} px in ${lang}`, async () => {
        const visitor = await (await e2e.newContext({ viewport })).newPage()
        const staff = await e2e.signedInPage({ viewport })
        const tooWide: string[] = []
        const check = async (page: Page, path: string) => {
          const url = path + (path.includes('?') ? '&' : '?') + `lang=${lang}`
          const res = await page.goto(url)
          expect(res?.status(), url).toBe(200)
          const violations = await seriousViolations(page)
          expect(violations, `axe found on ${url}:\n${formatViolations(violations)}`).toEqual([])
          const { scrollWidth } = await horizontalOverflow(page)
          if (scrollWidth > viewport.width + 1) tooWide.push(`${url}: ${scrollWidth} px`)
        }
        await check(visitor, `/events/${activityId}`)
        await check(visitor, cancelPath)
        await check(staff, `/activities/${activityId}/registration`)
        if (viewport === MOBILE && lang === 'sv') await staff.screenshot({ path: '/tmp/events-settings-375.png', fullPage: true })
        await check(staff, `/activities/${activityId}/check-in`)
        // The form's errors next to the fields.
        await visitor.goto(`/events/${activityId}?lang=${lang}`)
        await visitor.locator(`form[action="/events/${activityId}"] button[type=submit]`).click()
        await visitor.locator('.error-summary').waitFor()
        expect(await seriousViolations(visitor)).toEqual([])
        expect(tooWide).toEqual([])
      })
    }
  }
  it('an editor cancels a registration from the event page with the keyboard; the first on the waitlist gets the place and a mail', async () => {
    const visitor = await (await e2e.newContext({ viewport: DESKTOP })).newPage()
    await visitor.goto(`/events/${activityId}`)
    await visitor.locator('#f-name').fill('Lars Nord')
    await visitor.locator('#f-email').fill('lars.nord@example.org')
    await visitor.getByLabel('Eftermiddag').check()
    await Promise.all([visitor.waitForURL(`**/events/${activityId}`), visitor.locator('button[type=submit]', { hasText: 'Anmäl mig' }).click()])
    expect(await visitor.locator('h1').textContent()).toBe('Du står på väntelistan')

    const staff = await e2e.signedInPage({ viewport: MOBILE })
    await staff.goto(`/activities/${activityId}/registration`)
    const button = staff.getByRole('button', { name: /^Avanmäl.*Karin Lind$/ })
    await button.focus()
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true)
    await Promise.all([staff.waitForURL(`**/activities/${activityId}/registration*`), staff.keyboard.press('Enter')])
    await staff.locator('text=Anmälan är avbokad.').waitFor()
    expect(await staff.getByRole('button', { name: /^Avanmäl.*Karin Lind$/ }).count()).toBe(0)
    await staff.getByRole('button', { name: /^Avanmäl.*Lars Nord$/ }).waitFor()
    const promoted = await smtp.waitFor(3)
    expect(promoted.some((m) => m.envelope.to[0] === 'lars.nord@example.org' && m.mail.subject?.startsWith('Du har fått en plats'))).toBe(true)
    expect((await horizontalOverflow(staff)).scrollWidth).toBeLessThanOrEqual(MOBILE.width + 1)
    await staff.screenshot({ path: '/tmp/events-staff-cancel-375.png', fullPage: true })
  })
})
