import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { today } from '../register/vocabulary.ts'
import { contactVisibleTo } from '../privacy/visibility.ts'
import type { SegmentDefinition } from './segments.schema.ts'

/**
 * Who is in a segment, resolved in SQL whenever it is used (never stored), for one or many
 * segments at once:
 *
 * - A member is a live person (not deleted, merged away or erased) who matches the filter or is
 *   named in `include_ids`, and is not named in `exclude_ids`. An id merged away since stands
 *   for the record it was merged into.
 * - The filter's fields each hold "any of" values and combine with AND. An empty filter adds
 *   nobody: the segment is then its additions alone.
 * - A person is in a county by their own `county`, else by a current affiliation's organisation
 *   (as in plans' target groups). "Current" is today within the dated period, both ends inclusive.
 * - Protected identities and people whose processing is restricted are never members, whoever
 *   asks (src/privacy/visibility.ts, audience `export`): a segment is a mailing and invitation list.
 *
 * `segmentCtes` gives `seg_src, seg_spec, seg_members(segment_id, contact_id)` for a `with` list.
 */
export type SegmentSource =
  /** Saved, live segments by id. */
  | { ids: readonly string[] }
  /** Saved, live segments whose ids a subquery selects (plans naming a segment). */
  | { idsQuery: RawBuilder<unknown> }
  /** A definition not saved yet (the live count of the form); its segment_id is null. */
  | { definition: SegmentDefinition }

function source(s: SegmentSource): RawBuilder<unknown> {
  const live = (ids: RawBuilder<unknown>) =>
    sql`select sg.id as segment_id, sg.filter, sg.include_ids, sg.exclude_ids from segments sg where sg.id in (${ids}) and sg.deleted_at is null`
  if ('ids' in s) return live(sql`select unnest(${sql.val([...s.ids])}::uuid[])`)
  if ('idsQuery' in s) return live(s.idsQuery)
  const d = s.definition
  return sql`select null::uuid as segment_id, ${JSON.stringify(d.filter)}::jsonb as filter,
    ${sql.val(d.include_ids)}::uuid[] as include_ids, ${sql.val(d.exclude_ids)}::uuid[] as exclude_ids`
}

const arr = (key: string, type: 'text' | 'uuid') =>
  sql.raw(`array(select jsonb_array_elements_text(coalesce(src.filter -> '${key}', '[]'::jsonb)))::${type}[] as ${key}`)

export function segmentCtes(s: SegmentSource, day = today()): RawBuilder<unknown> {
  const d = sql`${day}::date`
  const current = (t: string) => {
    const from = sql.ref(`${t}.start_date`)
    const to = sql.ref(`${t}.end_date`)
    return sql<SqlBool>`(${from} is null or ${from} <= ${d}) and (${to} is null or ${to} >= ${d})`
  }
  const worksAt = (orgCondition: RawBuilder<SqlBool>) => sql<SqlBool>`exists (select 1 from affiliations af
    join organisations ao on ao.id = af.organisation_id and ao.deleted_at is null
    where af.contact_id = c.id and ${current('af')} and ${orgCondition})`
  return sql`seg_src as (${source(s)}), seg_spec as materialized (
    select src.segment_id,
      ${arr('categories', 'text')}, ${arr('counties', 'text')}, ${arr('theme_ids', 'uuid')}, ${arr('tags', 'text')},
      ${arr('affiliated_kinds', 'text')}, ${arr('organisation_ids', 'uuid')}, ${arr('alliance_ids', 'uuid')},
      ${arr('body_ids', 'uuid')}, ${arr('activity_ids', 'uuid')}, ${arr('attendance', 'text')}, ${arr('list_ids', 'uuid')},
      nullif(lower(src.filter ->> 'title'), '') as title,
      array(select coalesce(n.merged_into_id, n.id) from contacts n where n.id = any(src.include_ids)) as include_ids,
      array(select coalesce(n.merged_into_id, n.id) from contacts n where n.id = any(src.exclude_ids)) as exclude_ids,
      (select count(*) from jsonb_object_keys(src.filter)) > 0 as has_filter
    from seg_src src
  ), seg_members as (
    select s.segment_id, c.id as contact_id
    from seg_spec s
    join contacts c on c.deleted_at is null and c.merged_into_id is null and c.erased_at is null
      and ${contactVisibleTo('export', 'c')}
      and not (c.id = any(s.exclude_ids))
      and (c.id = any(s.include_ids) or (s.has_filter
        and (cardinality(s.categories) = 0 or c.categories && s.categories)
        and (cardinality(s.theme_ids) = 0 or c.theme_ids && s.theme_ids)
        and (cardinality(s.tags) = 0 or c.tags && s.tags)
        and (cardinality(s.counties) = 0 or c.county = any(s.counties)
          or (c.county is null and ${worksAt(sql`ao.county = any(s.counties)`)}))
        and (s.title is null or strpos(lower(coalesce(c.title, '')), s.title) > 0
          or exists (select 1 from affiliations af where af.contact_id = c.id and ${current('af')}
            and strpos(lower(coalesce(af.role, '')), s.title) > 0))
        and (cardinality(s.affiliated_kinds) = 0 or ${worksAt(sql`ao.kind = any(s.affiliated_kinds)`)})
        and (cardinality(s.organisation_ids) = 0 or ${worksAt(sql`ao.id = any(s.organisation_ids)`)})
        and (cardinality(s.alliance_ids) = 0 or exists (select 1 from alliance_members am
          join alliances al on al.id = am.alliance_id and al.deleted_at is null
          where am.alliance_id = any(s.alliance_ids) and ${current('am')}
            and (am.contact_id = c.id or exists (select 1 from affiliations af
              where af.contact_id = c.id and af.organisation_id = am.organisation_id and ${current('af')}))))
        and (cardinality(s.body_ids) = 0 or exists (select 1 from body_seats bs
          join bodies b on b.id = bs.body_id and b.deleted_at is null
          where bs.contact_id = c.id and bs.body_id = any(s.body_ids) and ${current('bs')}))
        and ((cardinality(s.activity_ids) = 0 and cardinality(s.attendance) = 0) or exists (select 1 from activity_participants p
          join activities a on a.id = p.activity_id and a.deleted_at is null
          where p.contact_id = c.id
            and (cardinality(s.activity_ids) = 0 or p.activity_id = any(s.activity_ids))
            and (cardinality(s.attendance) = 0 or p.attendance = any(s.attendance))))
        and (cardinality(s.list_ids) = 0 or exists (select 1 from newsletter_subscriptions ns
          where ns.contact_id = c.id and ns.list_id = any(s.list_ids) and ns.status = 'subscribed'))
      ))
  )`
}

/** The members' ids as a subquery: `contacts.id in (${segmentMemberIds(…)})`. */
export function segmentMemberIds(s: SegmentSource, day = today()): RawBuilder<unknown> {
  return sql`with ${segmentCtes(s, day)} select contact_id from seg_members`
}

/** A condition on `alias`.id: a member of any of these saved segments. */
export function inSegments(ids: readonly string[], alias = 'contacts'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} in (${segmentMemberIds({ ids })})`
}
