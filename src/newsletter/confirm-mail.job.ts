import { sql } from 'kysely'
import type { JobData } from '../jobs/jobs.ts'
import { translator, type Lang } from '../web/i18n.ts'
import { confirmLink } from './links.ts'
import type { OutreachContext } from './outreach-context.ts'
import { CONFIRM_DAYS } from './subscribe.service.ts'
import { newToken } from './tokens.ts'

/** Sends the double opt-in mail: a fresh single-purpose token, valid for seven days. */
export async function sendConfirmation(ctx: OutreachContext, data: JobData): Promise<void> {
  const contactId = String(data.contact_id)
  const listIds = String(data.list_ids).split(',').filter(Boolean)
  const t = translator((data.lang === 'en' ? 'en' : 'sv') as Lang)
  const contact = await ctx.db.selectFrom('contacts').select(['email']).where('id', '=', contactId).where('deleted_at', 'is', null).executeTakeFirst()
  if (!contact?.email) return
  const lists = await ctx.db.selectFrom('newsletter_lists').select('name').where('id', 'in', listIds).orderBy('name').execute()
  const { token, hash } = newToken()
  await ctx.db.insertInto('mail_tokens').values({
    token_hash: hash, purpose: 'confirm', contact_id: contactId, list_ids: listIds,
    expires_at: sql<Date>`now() + interval '7 days'`, // CONFIRM_DAYS
  }).execute()
  const link = confirmLink(ctx.base, token)
  await ctx.mailer.send({
    kind: 'newsletter-confirm',
    to: contact.email,
    subject: t('newsletter.confirm_subject'),
    text: t('newsletter.confirm_text', { lists: lists.map((l) => l.name).join(', '), link, days: CONFIRM_DAYS }),
    links: [link],
  })
}
