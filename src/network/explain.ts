import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import { contactHiddenFrom, contactVisibleTo, currentAudience, visibleContactName } from '../privacy/visibility.ts'
import { NotFoundError } from '../web/errors.ts'
import type { MessageKey, Translate } from '../web/i18n.ts'
import { participationCte } from './co-participation.ts'
import type { NetNodeType } from './graph.service.ts'

/**
 * "Every derived edge explains itself": the records behind an edge id of the graph
 * (src/network/graph.service.ts lists the ids). Each record comes with the address of its page.
 */

export interface EndPoint {
  id: string
  type: NetNodeType
  label: string
  href: string
}

export interface Explanation {
  id: string
  type: string
  source: EndPoint
  target: EndPoint
  records: Record<string, unknown>[]
  explanation?: string
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const EDGE_ID = new RegExp(`^(aff|seat|rep|rel|parent|am):(${UUID})$|^(pp|co|th):(${UUID}):(${UUID})$`, 'i')

const PAGE: Record<NetNodeType, string> = {
  organisation: '/organisations',
  contact: '/contacts',
  alliance: '/alliances',
  project: '/projects',
  body: '/bodies',
  theme: '/themes',
}

export function pageOf(type: NetNodeType, id: string): string {
  return `${PAGE[type]}/${id}`
}

/** A person's name as the reader may see it ('' for one they may not, src/privacy/visibility.ts). */
const contactLabel = () => sql<string>`coalesce(${visibleContactName('c')}, '')`

/** An edge's end by id; a deleted record is no end (404), so its name is not readable through its edges. */
async function endpoint(db: Executor, type: NetNodeType, id: string, anonymous: string): Promise<EndPoint> {
  let label: string | undefined
  switch (type) {
    case 'contact': {
      // A person the reader may not see is no end either: their edges are not in the reader's graph.
      const r = await sql<{ label: string; erased: boolean }>`select ${contactLabel()} as label, c.erased_at is not null as erased from contacts c
        where c.id = ${id} and c.deleted_at is null and ${contactVisibleTo(currentAudience(), 'c')}`.execute(db)
      label = r.rows[0] ? (r.rows[0].erased || !r.rows[0].label ? anonymous : r.rows[0].label) : undefined
      break
    }
    case 'project':
    case 'organisation':
    case 'alliance':
    case 'body':
    case 'theme': {
      const table = { project: 'projects', organisation: 'organisations', alliance: 'alliances', body: 'bodies', theme: 'themes' }[type]
      const r = await sql<{ label: string }>`select name as label from ${sql.table(table)} where id = ${id} and deleted_at is null`.execute(db)
      label = r.rows[0]?.label
      break
    }
  }
  if (label === undefined) throw new NotFoundError()
  return { id, type, label, href: pageOf(type, id) }
}

async function nodeType(db: Executor, id: string): Promise<NetNodeType> {
  const { rows } = await sql<{ type: NetNodeType }>`
    select 'organisation' as type from organisations where id = ${id} and deleted_at is null
    union all select 'contact' from contacts where id = ${id} and deleted_at is null
    union all select 'alliance' from alliances where id = ${id} and deleted_at is null
    union all select 'project' from projects where id = ${id} and deleted_at is null
    union all select 'theme' from themes where id = ${id} and deleted_at is null
    limit 1`.execute(db)
  if (!rows[0]) throw new NotFoundError()
  return rows[0].type
}

/**
 * The records behind edge `id` — co-participation as of `at` (the activities done by then) —
 * each with a `label` and the address of its page (`href`), and a sentence saying why the edge
 * is there (`explanation`, in the reader's language when `t` is given).
 */
export async function explainEdge(db: Executor, id: string, at: string, t?: Translate): Promise<Explanation> {
  const x = await recordsBehind(db, id, at, t ? t('graph.anonymous') : '—')
  const pair = `${x.source.label} – ${x.target.label}`
  for (const r of x.records) {
    if (typeof r.label === 'string') continue
    r.label = typeof r.title === 'string' ? r.title : typeof r.role === 'string' && r.role ? `${pair} (${r.role})` : pair
  }
  const params = { source: x.source.label, target: x.target.label, n: x.records.length }
  const lead = x.records.some((r) => r.lead === true)
  x.explanation = t ? t(`graph.explain.${lead ? 'project_lead' : x.type}` as MessageKey, params) : undefined
  return x
}

async function recordsBehind(db: Executor, id: string, at: string, anonymous: string): Promise<Explanation> {
  const m = EDGE_ID.exec(id)
  if (!m) throw new NotFoundError()
  const prefix = (m[1] ?? m[3])!.toLowerCase()
  const a = (m[2] ?? m[4])!.toLowerCase()
  const b = m[5]?.toLowerCase()
  const ends = async (st: NetNodeType, s: string, tt: NetNodeType, t: string) => ({
    source: await endpoint(db, st, s, anonymous),
    target: await endpoint(db, tt, t, anonymous),
  })

  switch (prefix) {
    case 'aff': {
      const r = await db.selectFrom('affiliations').selectAll().where('id', '=', a).executeTakeFirst()
      if (!r) throw new NotFoundError()
      return {
        id, type: 'affiliation', ...(await ends('contact', r.contact_id, 'organisation', r.organisation_id)),
        records: [{ kind: 'affiliation', id: r.id, role: r.role, start_date: r.start_date, end_date: r.end_date, primary: r.is_primary, href: pageOf('contact', r.contact_id) }],
      }
    }
    case 'seat':
    case 'rep': {
      const r = await db
        .selectFrom('body_seats')
        .select(['id', 'body_id', 'contact_id', 'organisation_id', 'role'])
        .select([sql<string | null>`start_date::text`.as('start_date'), sql<string | null>`end_date::text`.as('end_date')])
        .where('id', '=', a)
        .executeTakeFirst()
      if (!r || (prefix === 'rep' && !r.organisation_id)) throw new NotFoundError()
      const from = prefix === 'seat' ? await endpoint(db, 'contact', r.contact_id, anonymous) : await endpoint(db, 'organisation', r.organisation_id!, anonymous)
      // An organisation's seat held by a person the reader may not see: the edge stays, the person is not named.
      const person = await endpoint(db, 'contact', r.contact_id, anonymous).catch((err: unknown) => {
        if (prefix === 'rep' && err instanceof NotFoundError) return { label: anonymous, hidden: true }
        throw err
      })
      const hidden = 'hidden' in person
      return {
        id, type: prefix === 'seat' ? 'body_seat' : 'body_representation', source: from, target: await endpoint(db, 'body', r.body_id, anonymous),
        records: [{ kind: 'body_seat', id: r.id, role: r.role, contact_id: hidden ? null : r.contact_id, contact: person.label, organisation_id: r.organisation_id, start_date: r.start_date, end_date: r.end_date, href: pageOf('body', r.body_id) }],
      }
    }
    case 'rel': {
      const r = await db
        .selectFrom('organisation_relationships')
        .select(['id', 'type', 'from_organisation_id', 'to_organisation_id', 'note', 'deleted_at'])
        .select([sql<string | null>`start_date::text`.as('start_date'), sql<string | null>`end_date::text`.as('end_date')])
        .where('id', '=', a)
        .executeTakeFirst()
      if (!r || r.deleted_at) throw new NotFoundError()
      return {
        id, type: r.type, ...(await ends('organisation', r.from_organisation_id, 'organisation', r.to_organisation_id)),
        records: [{ kind: 'organisation_relationship', id: r.id, type: r.type, start_date: r.start_date, end_date: r.end_date, note: r.note, href: `/relationships/${r.id}/edit` }],
      }
    }
    case 'parent': {
      const type = await nodeType(db, a)
      const table = type === 'theme' ? 'themes' : 'organisations'
      const r = await sql<{ parent_id: string | null }>`select parent_id from ${sql.table(table)} where id = ${a}`.execute(db)
      const parent = r.rows[0]?.parent_id
      if (!parent) throw new NotFoundError()
      const e = await ends(type, a, type, parent)
      return { id, type: 'parent', ...e, records: [{ kind: 'parent', child_id: a, parent_id: parent, href: e.source.href }] }
    }
    case 'am': {
      const r = await sql<{ id: string; alliance_id: string; organisation_id: string; role: string; start_date: string | null; end_date: string | null; alliance_start: string | null; alliance_end: string | null; status: string }>`
        select m.id, m.alliance_id, m.organisation_id, m.role, m.start_date::text as start_date, m.end_date::text as end_date,
          a.start_date::text as alliance_start, a.end_date::text as alliance_end, a.status
        from alliance_members m join alliances a on a.id = m.alliance_id where m.id = ${a}`.execute(db)
      const row = r.rows[0]
      if (!row) throw new NotFoundError()
      return {
        id, type: 'alliance_member', ...(await ends('organisation', row.organisation_id, 'alliance', row.alliance_id)),
        records: [{
          kind: 'alliance_member', id: row.id, role: row.role, start_date: row.start_date ?? row.alliance_start, end_date: row.end_date ?? row.alliance_end,
          alliance_status: row.status, href: pageOf('alliance', row.alliance_id),
        }],
      }
    }
    case 'pp': {
      const project = await sql<{ id: string; lead_organisation_id: string | null; start_date: string | null; end_date: string | null; status: string }>`
        select id, lead_organisation_id, start_date::text as start_date, end_date::text as end_date, status from projects where id = ${a}`.execute(db)
      const p = project.rows[0]
      if (!p) throw new NotFoundError()
      const partner = await db.selectFrom('project_partners').select(['id', 'role']).where('project_id', '=', a).where('organisation_id', '=', b!).executeTakeFirst()
      const lead = p.lead_organisation_id === b
      if (!partner && !lead) throw new NotFoundError()
      return {
        id, type: 'project_partner', ...(await ends('organisation', b!, 'project', a)),
        records: [{ kind: 'project_partner', project_id: a, lead, role: partner?.role ?? null, start_date: p.start_date, end_date: p.end_date, project_status: p.status, href: pageOf('project', a) }],
      }
    }
    case 'co': {
      const { rows } = await sql<{ id: string; title: string; type: string; start_date: string | null; organisation_id: string; contact_id: string | null; contact_label: string | null; erased: boolean | null; hidden: boolean }>`
        with ${participationCte(at)}, why as (
          select ap.activity_id, ap.organisation_id, null::uuid as contact_id from activity_participants ap
          join acts on acts.id = ap.activity_id
          where ap.organisation_id = any(${sql.val([a, b!])}::uuid[]) and ap.attendance not in ('invited', 'no_show')
          union
          select ap.activity_id, af.organisation_id, ap.contact_id from activity_participants ap
          join acts on acts.id = ap.activity_id
          join contacts c on c.id = ap.contact_id and c.deleted_at is null
          join affiliations af on af.contact_id = ap.contact_id and af.organisation_id = any(${sql.val([a, b!])}::uuid[])
            and (af.start_date is null or af.start_date <= acts.day) and (af.end_date is null or af.end_date >= acts.day)
          where ap.attendance not in ('invited', 'no_show')
        ), shared as (
          select x.activity_id from live_part x join live_part y on y.activity_id = x.activity_id
          where x.organisation_id = ${a} and y.organisation_id = ${b!}
        )
        select act.id, act.title, act.type, act.start_date::text as start_date, why.organisation_id, why.contact_id,
          ${contactLabel()} as contact_label, c.erased_at is not null as erased, ${contactHiddenFrom('c')} as hidden
        from shared join activities act on act.id = shared.activity_id
        join why on why.activity_id = act.id
        left join contacts c on c.id = why.contact_id
        order by act.start_date nulls last, act.id, why.organisation_id, why.contact_id nulls first`.execute(db)
      if (rows.length === 0) throw new NotFoundError()
      const activities = new Map<string, { kind: string; id: string; title: string; type: string; start_date: string | null; href: string; through: { organisation_id: string; contact_id: string | null; contact: string | null }[] }>()
      for (const r of rows) {
        const act = activities.get(r.id) ?? { kind: 'activity', id: r.id, title: r.title, type: r.type, start_date: r.start_date, href: `/activities/${r.id}`, through: [] }
        act.through.push({ organisation_id: r.organisation_id, contact_id: r.hidden ? null : r.contact_id, contact: r.contact_id ? (r.erased || !r.contact_label ? anonymous : r.contact_label) : null })
        activities.set(r.id, act)
      }
      return { id, type: 'co_participation', ...(await ends('organisation', a, 'organisation', b!)), records: [...activities.values()] }
    }
    case 'th': {
      const type = await nodeType(db, a)
      if (type === 'theme' || type === 'body') throw new NotFoundError()
      const { rows } = await sql<{ ok: boolean }>`
        select ${b!}::uuid = any(theme_ids) as ok from ${sql.table({ organisation: 'organisations', contact: 'contacts', alliance: 'alliances', project: 'projects' }[type])}
        where id = ${a}`.execute(db)
      if (!rows[0]?.ok) throw new NotFoundError()
      const e = await ends(type, a, 'theme', b!)
      return { id, type: 'theme', ...e, records: [{ kind: 'theme', record_id: a, theme_id: b, href: e.source.href }] }
    }
  }
  throw new NotFoundError()
}
