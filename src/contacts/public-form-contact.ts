import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { translator, type Lang, type MessageKey } from '../web/i18n.ts'
import { findContactByEmail } from './contacts.repo.ts'
import { createContact as contactSchema } from './contacts.schema.ts'
import { createContact } from './contacts.service.ts'

/** "Anna Maria Svensson" → first "Anna Maria", last "Svensson". */
function splitName(name: string): { first_name: string | null; last_name: string | null } {
  const parts = name.trim().split(/\s+/)
  const last = parts.length > 1 ? parts.pop()! : null
  return { first_name: parts.join(' ') || null, last_name: last }
}

/**
 * The contact behind a public form (newsletter sign-up, event registration): the one with this
 * address, or a new one (category `recipient`). Matched on the address only — a name is never
 * enough to merge two people. An organisation typed on the form is linked when its name or short
 * name matches exactly, else kept as a note (`noteKey`, with `{organisation}`) in the language the
 * form was filled in (`lang`): the note is stored, so it is written once, in the writer's words.
 */
export async function contactFromPublicForm(
  tx: Executor,
  input: { name: string; email: string; organisation?: string | null | undefined },
  noteKey: MessageKey,
  lang: Lang,
): Promise<string> {
  const existing = await findContactByEmail(tx, input.email)
  if (existing) return existing.id
  const org = input.organisation
    ? await tx.selectFrom('organisations').select('id')
        .where(sql<boolean>`lower(name) = lower(${input.organisation}) or lower(short_name) = lower(${input.organisation})`)
        .where('deleted_at', 'is', null).where('merged_into_id', 'is', null).executeTakeFirst()
    : undefined
  const values = contactSchema.parse({
    ...splitName(input.name),
    email: input.email,
    categories: ['recipient'],
    affiliations: org ? [{ organisation_id: org.id, primary: true }] : [],
    notes: input.organisation && !org ? translator(lang)(noteKey, { organisation: input.organisation }) : null,
  })
  return (await createContact(tx, values, { userId: null })).id
}
