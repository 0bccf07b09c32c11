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
})
