import { contactVisibleTo, type Audience } from '../privacy/visibility.ts'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { contactCounty } from '../plans/plan-targets.ts'
import { formatDate } from '../web/format.ts'
import { isMessageKey, type Translate } from '../web/i18n.ts'
import { pageOf } from './explain.ts'
import type { NetNodeType } from './graph.service.ts'

/**
 * The key facts of one node's record for the network page's side panel: a few lines the panel
 * shows under the node's name, the records it is linked with today, and the link to its page.
 * One or two small queries per card.
 */

export interface Card {
  type: NetNodeType
  id: string
  title: string
  href: string
  facts: { label: string; value: string }[]
  links: { label: string; items: { label: string; href: string }[]; more: number }[]
}

const LIST_LIMIT = 8

const tr = (t: Translate, key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback)
const period = (start: string | null, end: string | null) => (start || end ? `${start ? formatDate(start) : '…'} – ${end ? formatDate(end) : '…'}` : null)

type Fact = { label: string; value: string | null | undefined }
const facts = (list: Fact[]) => list.filter((f): f is { label: string; value: string } => typeof f.value === 'string' && f.value !== '')

async function themeNames(db: Executor, ids: readonly string[]): Promise<string | null> {
  if (!ids.length) return null
  const rows = await db.selectFrom('themes').select('name').where('id', 'in', [...ids]).where('deleted_at', 'is', null).orderBy('sort_name').execute()
  return rows.map((r) => r.name).join(', ') || null
}

function list(label: string, rows: { label: string; href: string }[]): Card['links'][number] {
  return { label, items: rows.slice(0, LIST_LIMIT), more: Math.max(0, rows.length - LIST_LIMIT) }
}

const personName = sql<string>`nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '')`

/** The card of a live record of `type`, or null when there is none. */
export async function nodeCard(db: Executor, type: NetNodeType, id: string, day: string, t: Translate, audience: Audience = 'export'): Promise<Card | null> {
  const shown = contactVisibleTo(audience, 'c')
  const base = { type, id, href: pageOf(type, id) }
  const valid = (a: string) =>
    sql`(${sql.ref(`${a}.start_date`)} is null or ${sql.ref(`${a}.start_date`)} <= ${day}::date) and (${sql.ref(`${a}.end_date`)} is null or ${sql.ref(`${a}.end_date`)} >= ${day}::date)`
  switch (type) {
    case 'organisation': {
      const o = await db.selectFrom('organisations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
      if (!o) return null
      const { rows: people } = await sql<{ id: string; label: string | null; erased: boolean }>`
        select c.id, ${personName} as label, c.erased_at is not null as erased from affiliations af
        join contacts c on c.id = af.contact_id and c.deleted_at is null and ${shown}
        where af.organisation_id = ${id} and ${valid('af')}
        order by c.sort_name, c.id`.execute(db)
      return {
        ...base,
        title: o.name,
        facts: facts([
          { label: t('org.kind'), value: tr(t, `kind.${o.kind}`, o.kind) },
          { label: t('org.county'), value: o.county },
          { label: t('org.themes'), value: await themeNames(db, o.theme_ids) },
        ]),
        links: people.length ? [list(t('org.people'), people.map((p) => ({ label: p.erased || !p.label ? t('graph.anonymous') : p.label, href: pageOf('contact', p.id) })))] : [],
      }
    }
    case 'contact': {
      const { rows } = await sql<{ label: string | null; erased: boolean; title: string | null; categories: string[]; county: string | null; theme_ids: string[] }>`
        select ${personName} as label, c.erased_at is not null as erased, c.title, c.categories, ${contactCounty('c', sql`${day}::date`)} as county, c.theme_ids
        from contacts c where c.id = ${id} and c.deleted_at is null and ${shown}`.execute(db)
      const c = rows[0]
      if (!c) return null
      const { rows: orgs } = await sql<{ id: string; name: string; role: string | null }>`
        select o.id, o.name, af.role from affiliations af
        join organisations o on o.id = af.organisation_id and o.deleted_at is null
        where af.contact_id = ${id} and ${valid('af')}
        order by af.is_primary desc, o.sort_name, o.id`.execute(db)
      return {
        ...base,
        title: c.erased || !c.label ? t('graph.anonymous') : c.label,
        facts: c.erased ? [] : facts([
          { label: t('contact.title'), value: c.title },
          { label: t('contact.categories'), value: c.categories.map((x) => tr(t, `category.${x}`, x)).join(', ') },
          { label: t('contact.county'), value: c.county },
          { label: t('org.themes'), value: await themeNames(db, c.theme_ids) },
        ]),
        links: orgs.length ? [list(t('contact.affiliations'), orgs.map((o) => ({ label: o.role ? `${o.name} (${o.role})` : o.name, href: pageOf('organisation', o.id) })))] : [],
      }
    }
    case 'alliance': {
      const a = await db.selectFrom('alliances').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
      if (!a) return null
      const { rows: members } = await sql<{ id: string; name: string }>`
        select o.id, o.name from alliance_members m join organisations o on o.id = m.organisation_id and o.deleted_at is null
        where m.alliance_id = ${id} order by o.sort_name, o.id`.execute(db)
      return {
        ...base,
        title: a.name,
        facts: facts([
          { label: t('alliance.status'), value: tr(t, `alliance.status.${a.status}`, a.status) },
          { label: t('alliance.period'), value: period(a.start_date, a.end_date) },
          { label: t('org.themes'), value: await themeNames(db, a.theme_ids) },
        ]),
        links: members.length ? [list(t('alliance.members'), members.map((m) => ({ label: m.name, href: pageOf('organisation', m.id) })))] : [],
      }
    }
    case 'project': {
      const p = await db.selectFrom('projects').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
      if (!p) return null
      const { rows: partners } = await sql<{ id: string; name: string; lead: boolean }>`
        select o.id, o.name, bool_or(x.lead) as lead from (
          select organisation_id, false as lead from project_partners where project_id = ${id}
          union all select ${p.lead_organisation_id}::uuid, true where ${p.lead_organisation_id}::uuid is not null
        ) x join organisations o on o.id = x.organisation_id and o.deleted_at is null
        group by o.id, o.name, o.sort_name order by bool_or(x.lead) desc, o.sort_name, o.id`.execute(db)
      return {
        ...base,
        title: p.name,
        facts: facts([
          { label: t('project.status'), value: tr(t, `project.status.${p.status}`, p.status) },
          { label: t('project.programme'), value: p.programme ? tr(t, `project.programme.${p.programme}`, p.programme) : null },
          { label: t('project.period'), value: period(p.start_date, p.end_date) },
        ]),
        links: partners.length ? [list(t('graph.card.partners'), partners.map((o) => ({ label: o.lead ? `${o.name} (${t('graph.card.lead')})` : o.name, href: pageOf('organisation', o.id) })))] : [],
      }
    }
    case 'body': {
      const b = await db.selectFrom('bodies').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst()
      if (!b) return null
      const { rows: seats } = await sql<{ id: string; label: string | null; erased: boolean; role: string }>`
        select c.id, ${personName} as label, c.erased_at is not null as erased, s.role from body_seats s
        join contacts c on c.id = s.contact_id and c.deleted_at is null and ${shown}
        where s.body_id = ${id} and ${valid('s')} order by c.sort_name, c.id`.execute(db)
      return {
        ...base,
        title: b.name,
        facts: facts([{ label: t('body.kind'), value: tr(t, `body_kind.${b.kind}`, b.kind) }]),
        links: seats.length ? [list(t('body.seats'), seats.map((s) => ({ label: s.erased || !s.label ? t('graph.anonymous') : s.label, href: pageOf('contact', s.id) })))] : [],
      }
    }
    case 'theme': {
      const { rows } = await sql<{ name: string; description: string | null; parent: string | null }>`
        select t.name, t.description, p.name as parent from themes t left join themes p on p.id = t.parent_id and p.deleted_at is null
        where t.id = ${id} and t.deleted_at is null`.execute(db)
      const th = rows[0]
      if (!th) return null
      return {
        ...base,
        title: th.name,
        facts: facts([
          { label: t('theme.parent'), value: th.parent },
          { label: t('graph.card.description'), value: th.description },
        ]),
        links: [],
      }
    }
  }
}
