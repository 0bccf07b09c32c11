import { createRecord, inTransaction, type Actor, type Executor } from '../db/write.ts'
import { letOthersIn } from '../db/turns.ts'
import { addDays } from '../interactions/follow-ups.ts'
import { createIssue } from '../newsletter/issues.service.ts'
import { createIssue as issueSchema } from '../newsletter/issues.schema.ts'
import { createList as listSchema } from '../newsletter/lists.schema.ts'
import { recordIssueSentWithoutMail } from '../newsletter/send.job.ts'
import { consentPurpose } from '../newsletter/subscribe.service.ts'
import { recordConsent } from '../privacy/consents.service.ts'
import type { Translate } from '../web/i18n.ts'

export const DEMO_LIST = 'Nyhetsbrev från temagruppen asyl & integration'

/** Six issues over the last two years (days before the day the demo is loaded), and one draft. */
const ISSUES = [
  { days: -700, subject: 'Nyhetsbrev 1: temagruppen startar sin nya period', body: 'Styrgruppen och referensgruppen är tillsatta. Här är vad vi ska göra de kommande två åren.' },
  { days: -580, subject: 'Nyhetsbrev 2: hälsokommunikatörer i fler län', body: 'Fler länsstyrelser har börjat arbeta med hälsokommunikatörer. Läs om erfarenheterna från de första seminarierna.' },
  { days: -460, subject: 'Nyhetsbrev 3: samhällsorientering på modersmål', body: 'Metoden sprids till kommunerna. Vi berättar om workshoparna och om materialet som finns att låna.' },
  { days: -340, subject: 'Nyhetsbrev 4: konferensen om etablering', body: 'Dokumentation från konferensen och en sammanfattning av remissvaret om mottagande.' },
  { days: -200, subject: 'Nyhetsbrev 5: tidig kartläggning av kompetens', body: 'En ny allians arbetar med tidig kartläggning. Så kan din organisation vara med.' },
  { days: -45, subject: 'Nyhetsbrev 6: halvvägs i perioden', body: 'Vad har vi nått hittills, och vilka län och myndigheter har vi kvar att nå?' },
]
const DRAFT = { subject: 'Nyhetsbrev 7: inbjudan till vårens nätverksträffar', body: 'Utkast: datum och platser för vårens nätverksträffar.' }

/**
 * The demo's newsletter (issue 14 on issue 12's outreach): one public list whose subscribers are
 * some of the demo's fictional people (confirmed, with the consent they gave recorded), six
 * issues over the last 24 months recorded as sent — without mail, with the records a real send
 * leaves, so the archive /newsletter, the newsletter activities and plan progress show them —
 * and one draft. Idempotent: the list is found by its name and issues by their subject.
 */
export async function seedNewsletters(db: Executor, actor: Actor, t: Translate, today: string, subscriberIds: string[], themeIds: string[]): Promise<number> {
  const start = addDays(today, -730)
  let list = await db.selectFrom('newsletter_lists').select('id').where('name', '=', DEMO_LIST).executeTakeFirst()
  if (!list) {
    list = await createRecord(db, 'newsletter_lists', listSchema.parse({
      name: DEMO_LIST, description: 'Demo: nyheter om temagruppens seminarier, allianser och metoder, ungefär var fjärde månad.', public: true,
    }), actor)
  }
  const listId = list.id
  // Subscribers confirmed two years ago; only those not yet on the list (a second run adds nobody).
  const consentText = t('newsletter.consent_text')
  const confirmedAt = new Date(`${start}T09:00:00Z`)
  await inTransaction(db, async (tx) => {
    const added = subscriberIds.length === 0 ? [] : await tx.insertInto('newsletter_subscriptions')
      .values(subscriberIds.map((id) => ({ list_id: listId, contact_id: id, status: 'subscribed' as const, consent_text: consentText, confirmed_at: confirmedAt })))
      .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
      .returning('contact_id').execute()
    for (const s of added) {
      await recordConsent(tx, { contact_id: s.contact_id, purpose: consentPurpose(listId), method: 'form', text: consentText, given_at: confirmedAt }, actor)
    }
  })
  const subjects = new Set((await db.selectFrom('newsletter_issues').select('subject').execute()).map((i) => i.subject))
  let created = 0
  for (const [i, issue] of ISSUES.entries()) {
    if (subjects.has(issue.subject)) continue
    await letOthersIn()
    await inTransaction(db, async (tx) => {
      const draft = await createIssue(tx, issueSchema.parse({ list_ids: [listId], subject: issue.subject, body: issue.body, theme_ids: themeIds.length ? [themeIds[i % themeIds.length]] : [] }), actor)
      await recordIssueSentWithoutMail(tx, draft.id, new Date(`${addDays(today, issue.days)}T08:00:00Z`))
    })
    created++
  }
  if (!subjects.has(DRAFT.subject)) {
    await createIssue(db, issueSchema.parse({ list_ids: [listId], subject: DRAFT.subject, body: DRAFT.body }), actor)
    created++
  }
  return created
}
