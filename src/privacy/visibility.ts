import type { Context } from 'hono'
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { audienceOf, currentAudience, type Audience } from '../register/audience.ts'
import { audit, type Executor } from '../db/write.ts'
import { NotFoundError } from '../web/errors.ts'

export { asExport, audienceMiddleware, audienceOf, currentAudience, type Audience } from '../register/audience.ts'

/**
 * The one rule of who sees which person (issue 11): a restricted person only by admins; a
 * person with protected identity only by admins and editors; neither of them on a public page,
 * in an export, a mailing or an invitation list. `alias` names the contacts row in the query.
 */
export function contactVisibleTo(audience: Audience, alias = 'contacts'): RawBuilder<SqlBool> {
  const restricted = sql.ref(`${alias}.restricted`)
  const protectedIdentity = sql.ref(`${alias}.protected_identity`)
  switch (audience) {
    case 'admin':
      return sql<SqlBool>`true`
    case 'editor':
      return sql<SqlBool>`not ${restricted}`
    default:
      return sql<SqlBool>`not ${restricted} and not ${protectedIdentity}`
  }
}

/**
 * A person's display name ("first last", null when empty) as `audience` may see it: null for a
 * person they may not see. The row keeps its place (a seat, a member, a participant, a link) and
 * its opaque id; pages show "hidden person" without a link (see `hiddenPersonKey`).
 */
export function visibleContactName(alias = 'contacts', audience: Audience = currentAudience()): RawBuilder<string | null> {
  const [first, last] = [sql.ref(`${alias}.first_name`), sql.ref(`${alias}.last_name`)]
  return sql<string | null>`case when ${contactVisibleTo(audience, alias)} then nullif(trim(coalesce(${first}, '') || ' ' || coalesce(${last}, '')), '') end`
}

/**
 * The ids among `ids` of people `audience` may see, as an SQL array: a list filtered by a person
 * (`?contact_id=`) must find nothing for a reader who may not see that person, or the filter would
 * tell which bodies, activities or conversations a protected or restricted person is part of.
 */
export function visibleContactIds(ids: string[], audience: Audience = currentAudience()): RawBuilder<string[]> {
  return sql<string[]>`array(select c.id from contacts c where c.id = any(${sql.val(ids)}::uuid[]) and ${contactVisibleTo(audience, 'c')})`
}

/** Whether the person in `alias` is hidden from `audience`, as a column for the templates. */
export function contactHiddenFrom(alias = 'contacts', audience: Audience = currentAudience()): RawBuilder<boolean> {
  return sql<boolean>`coalesce(not (${contactVisibleTo(audience, alias)}), false)`
}

/** The message shown in place of a hidden person's name. */
export const hiddenPersonKey = 'privacy.hidden_person'

/** Whether one person (already read) may be seen by `audience`. */
export function mayShowContact(audience: Audience, c: { restricted: boolean; protected_identity: boolean }): boolean {
  if (audience === 'admin') return true
  if (c.restricted) return false
  return audience === 'editor' || !c.protected_identity
}

/** The ids of the people `audience` may not see (for views assembled from a shared cache). */
export async function hiddenContactIds(db: Executor, audience: Audience): Promise<Set<string>> {
  if (audience === 'admin') return new Set()
  const { rows } = await sql<{ id: string }>`select c.id from contacts c where not (${contactVisibleTo(audience, 'c')})`.execute(db)
  return new Set(rows.map((r) => r.id))
}

/**
 * The privacy version (migrations/20261206T2300_privacy_version.ts): a number that grows with every
 * committed change of anyone's protected identity, restricted processing, erasure or deletion. A
 * view kept from before may be shown again only while this is what it was when that view was read
 * (src/network/view.ts staleWhileComputing): then it names nobody it may no longer name. Read
 * before the view, so that a change in between makes the two differ.
 */
export async function privacyState(db: Executor): Promise<string> {
  const { rows } = await sql<{ v: string }>`select coalesce(sum(n), 0)::text as v from privacy_version`.execute(db)
  return rows[0]!.v
}

/**
 * Before a person's record is shown: a reader who may not see them gets 404 (not 403: the
 * record's existence is itself personal), and every view of a protected identity is audited.
 */
export async function guardContactView(c: Context<AppEnv>, contact: { id: string; restricted: boolean; protected_identity: boolean }): Promise<void> {
  if (!mayShowContact(audienceOf(c), contact)) throw new NotFoundError()
  if (contact.protected_identity) await audit(c.get('db'), { userId: c.get('user')?.id ?? null }, 'contact', contact.id, 'view', {})
}
