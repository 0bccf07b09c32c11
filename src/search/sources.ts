import { sql, type AliasedExpression, type Compilable, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Database } from '../db/schema.ts'
import { rowLimit } from '../db/pagination.ts'
import { contactVisibleTo, type Audience } from '../privacy/visibility.ts'
import { untyped, type Executor } from '../db/write.ts'
import { anyOfArms, commonInSample, oneName, highTierOf, manyNamesStart, DENSE_MATCHES, EXACT_SCORE, fuzzyMatch, fuzzyScore, HIGH_RANKED, preciseMatch, restWalkOf, textScore, WALK_ORDER, WALKED_ENTRIES, type RankTiers, type ScoreNames, type TextMatchOptions, type Typos } from '../register/search-filter.ts'
import type { MessageKey } from '../web/i18n.ts'
import { personContextSql } from '../contacts/person-context.ts'
import { ORGANISATION_NAMES } from '../organisations/search-names.ts'
import { CONTACT_NAMES, contactExactArms, contactTiers } from '../contacts/search-names.ts'

/** One record found: its name, and its other searched fields joined (what the snippet adds to the name). */
export interface SearchRow {
  id: string
  label: string
  detail: string
  score: number
}

/** A query that can be run, and compiled on its own (the query-plan test explains it). */
export type SearchQuery = Compilable<SearchRow> & { execute(): Promise<SearchRow[]> }

/**
 * What search needs from a feature. A feature that wants to be found adds one entry to
 * SEARCH_SOURCES below (and its heading to its own messages file); nothing else changes.
 */
export interface SearchSource {
  type: string
  /** Its table, whose words correct a typo (typosOf). */
  table: string
  /** The heading of its group on the search page. */
  heading: MessageKey
  href(id: string): string
  /** The feature's own list filtered by the same words, offered when there are more hits than shown. */
  listHref?: (q: string) => string
  /**
   * Live records matching `q`, best first, at most `limit` (and, with `tiered`, the mark after
   * them). `precise` (folded substring, stemming) is asked first; typo matches (a typo away, and
   * not precise) only to fill up what is left.
   */
  query(db: Executor, q: string, limit: number, match: Match, audience?: Audience): SearchQuery
  /**
   * For a query that many records match: `query` ranks at most DENSE_MATCHES + 1 of them, and when
   * it read that many — or ranked none, a sample having shown the query common (commonInSample) —
   * answers a mark after its rows (isTiersMark); the search then
   * reads `tiered` in a statement of its own (the records in tiers, src/web/list.ts splitRanked).
   * Asked inside the search's one statement, the tiers made every search slower to bind and start,
   * a name's too (bench/README.md, *A fragment's first page read in tiers*).
   */
  tiered?: (db: Executor, q: string, limit: number, audience?: Audience) => SearchQuery
}

/** The score of the row a source's `query` answers when its records are to be read in tiers (SearchSource.tiered): below every score. */
const TIERS_MARK = -1
export const isTiersMark = (row: SearchRow) => Number(row.score) === TIERS_MARK

/** Precise matches, or typo matches by the table's corrections of the query (typosOf). */
export type Match = 'precise' | { typos: Typos }

/** The filter and the score of one kind of match, for a table with the register's search columns. */
function matching(table: string, q: string, match: Match, names: ScoreNames, opts: TextMatchOptions = {}) {
  return match === 'precise'
    ? { where: preciseMatch(table, q, opts), score: textScore(table, q, names, opts) }
    : { where: fuzzyMatch(table, q, match.typos, opts), score: fuzzyScore(table, q, match.typos) }
}

const withQ = (path: string) => (q: string) => `${path}?${new URLSearchParams({ q })}`

export function searchOrganisations(db: Executor, q: string, limit: number, match: Match = 'precise'): SearchQuery {
  const m = matching('organisations', q, match, ORGANISATION_NAMES)
  return db
    .selectFrom('organisations')
    .select([
      'id',
      'name as label',
      sql<string>`concat_ws(' · ', short_name, org_number)`.as('detail'),
      m.score.as('score'),
    ])
    .where('deleted_at', 'is', null)
    .where('merged_into_id', 'is', null)
    .where(m.where)
    .orderBy('score', 'desc')
    .orderBy('sort_name')
    .orderBy('id')
    .limit(limit)
}

/** A person found, before what is shown of them is read. */
interface Found { id: string; score: number; sort_name: string }

/**
 * People the reader may see only (src/privacy/visibility.ts); without an audience, as a viewer.
 * `tiers`: 'bounded' ranks at most DENSE_MATCHES + 1 of the matches (a query that has tiers:
 * oneWordTiers), and marks the answer for reading in tiers (SearchSource.tiered) when it read that
 * many, or when a fragment that names nobody is common in a sample (commonInSample: then none is
 * ranked); 'read' reads the people below the exact ones in tiers (inTiersOrEvery).
 */
export function searchContacts(db: Executor, q: string, limit: number, match: Match = 'precise', audience: Audience = 'viewer', tiers?: 'bounded' | 'read'): SearchQuery {
  const m = matching('contacts', q, match, CONTACT_NAMES)
  const live = db
    .selectFrom('contacts')
    .where('deleted_at', 'is', null)
    .where('merged_into_id', 'is', null)
    .where('erased_at', 'is', null)
    .where(contactVisibleTo(audience))
  const shown = (rows: AliasedExpression<Found, 'found'>) =>
    db
      .selectFrom(rows)
      .innerJoin('contacts', 'contacts.id', 'found.id')
      .select([
        'contacts.id',
        sql<string>`concat_ws(' ', first_name, last_name)`.as('label'),
        sql<string>`concat_ws(' · ', nullif(${personContextSql('contacts')}, ''), title, email)`.as('detail'),
        'found.score',
      ])
      .orderBy('found.score', 'desc')
      .orderBy('found.sort_name')
      .orderBy('found.id') as unknown as SearchQuery
  const matched = live.select(['id', m.score.as('score'), 'sort_name']).where(m.where)
  const ranked = matched.orderBy('score', 'desc').orderBy('sort_name').orderBy('id').limit(limit)
  const { names, codes } = contactExactArms(q)
  const arms = match === 'precise' ? [...names, ...codes] : []
  if (arms.length === 0) return shown(ranked.as('found'))
  // A word that names people exactly (a common surname names thousands): those named by it first,
  // in name order as they score alike (textScore), read from the name indexes a page's worth at a
  // time (migrations/20261206T0530_exact_names_live.ts) — and the other matches, ranked, only when
  // they are fewer than a page. Each name is its own index scan in name order; one condition over
  // all of them read every match to sort them.
  const named = (where: RawBuilder<SqlBool>) =>
    sql`(${live.select(['id', sql<number>`${sql.lit(EXACT_SCORE)}::float8`.as('score'), 'sort_name']).where(where).orderBy('sort_name').orderBy('id').limit(limit)})`
  // The other matches are those the rank puts below an exact one, each ranked once (offset 0 keeps
  // the rank from being computed again in the filter): asked whether a name is the query, each
  // of the 88 666 people a fragment like "sson" finds at 200 000 contacts folded its names once
  // more (bench/README.md, *A fragment's matches ranked on narrow rows*).
  const wanted = sql<SqlBool>`(select count(*) from exact) < ${limit}`
  // Bounded: at most DENSE_MATCHES + 1 ranked, and how many were read (`read`, on every row
  // ranked); only for a query that has tiers, or the search would read every match again after.
  const rankTiers = tiers ? contactTiers(q) : undefined
  const bounded = tiers === 'bounded' && rankTiers !== undefined
  // A fragment that names nobody and that a sample shows common is marked for the tiers at once:
  // ranking its first DENSE_MATCHES + 1 first read every match on the statement's one plan (the
  // trigram index's bitmap: "sson", 88 666 people at 200 000 contacts; commonInSample).
  // Asked once, in a CTE of its own (`sample`), and named in two places.
  const sampled = sql<SqlBool>`(select common from sample)`
  const scored = matched
    .where(wanted)
    .$if(bounded, (b) => b.where(sql<SqlBool>`not ${sampled}`).limit(rowLimit(DENSE_MATCHES + 1)))
    .offset(0)
  const everyOther = untyped(db).selectFrom(scored.as('scored')).selectAll().where('score', '<', EXACT_SCORE).orderBy('score', 'desc').orderBy('sort_name').orderBy('id').limit(limit)
  if (!bounded) {
    const others = rankTiers && tiers === 'read' ? inTiersOrEvery(db, { live, match: m.where, score: m.score, tiers: rankTiers, limit, wanted, every: everyOther }) : sql`${everyOther}`
    return shown(sql<Found>`(with exact as (${sql.join(arms.map(named), sql` union `)})
      select * from exact union all (${others}) order by score desc, sort_name, id limit ${limit})`.as('found'))
  }
  const read = untyped(db).selectFrom(scored.as('bounded')).selectAll().select(sql<number>`count(*) over ()`.as('read'))
  const others = untyped(db).selectFrom(read.as('scored')).selectAll().where('score', '<', EXACT_SCORE).orderBy('score', 'desc').orderBy('sort_name').orderBy('id').limit(limit)
  // The mark, after the best `limit`: more were to be ranked than were, or the sample showed the
  // fragment common. It is one of them again, or the first person shown by id when none was ranked,
  // with TIERS_MARK for a score (a row of a person: a left join for a row of none made the statement
  // twice as long to plan on PGlite).
  return shown(sql<Found>`(with exact as (${sql.join(arms.map(named), sql` union `)}),
      sample as (select not exists (select 1 from exact) and ${commonInSample(rankTiers!)} as common), others as (${others})
    (select id, score, sort_name from exact union all select id, score, sort_name from others order by score desc, sort_name, id limit ${limit})
    union all (select coalesce((select id from others limit 1), (${live.select('id').orderBy('id').limit(1)})), ${sql.lit(TIERS_MARK)}::float8, ''
      where (select max(read) from others) > ${sql.lit(DENSE_MATCHES)} or ${sampled}))`.as('found'))
}

/**
 * The people a one-word query finds, read in tiers (inTiersOrEvery): for a search whose bounded
 * ranking read DENSE_MATCHES + 1, or that a sample showed common.
 */
export const searchContactsInTiers = (db: Executor, q: string, limit: number, audience: Audience = 'viewer'): SearchQuery => searchContacts(db, q, limit, 'precise', audience, 'read')

/**
 * The people other than the exact ones, best `limit` first, read in tiers (as the contacts list's
 * first page, src/web/list.ts splitRanked): the high tier (a name or e-mail that starts with the
 * word, or its stems; all ranked, HIGH_RANKED + 1 read at most), and the rest's first in the
 * length index's order (their rank's), from its first WALKED_ENTRIES entries (restWalkOf). They
 * tell the best `limit` when they hold that many and the high tier was read whole; otherwise every
 * match is ranked (`every`), in the same statement. "sson" (88 666 of 200 000 people) ranked every
 * match to show 21 (bench/README.md, *A fragment's first page read in tiers*). The list also walks
 * a high tier too large to rank ("ber"); here such a word is ranked the general way.
 */
function inTiersOrEvery(db: Executor, read: { live: SelectQueryBuilder<Database, 'contacts', object>; match: Expression<SqlBool>; score: RawBuilder<number>; tiers: RankTiers; limit: number; wanted: RawBuilder<SqlBool>; every: Compilable<unknown> }): RawBuilder<unknown> {
  const { live, match, score, tiers, limit, wanted, every } = read
  const high = anyOfArms(tiers.high)
  // Tried only when few names start with the word (counted up to one more from their indexes; the
  // limits written into the text: on the search's generic plan a parameter limit is planned as a
  // tenth of the table): else the high tier is more than is ranked, and every match is.
  const tryTiers = sql<SqlBool>`(${wanted} and not ${manyNamesStart(live, tiers)})`
  const highRows = highTierOf(db, live.selectAll(), tiers, match, HIGH_RANKED + 1).clearSelect().select(['id', score.as('score'), 'sort_name'])
  // The rest's rows in the length index's order, of its first WALKED_ENTRIES entries, the people shown.
  const rest = restWalkOf(db, live.selectAll(), tiers, WALKED_ENTRIES)
    .clearSelect()
    .select(['id', score.as('score'), 'sort_name', sql<number>`0`.as('seen'), ...WALK_ORDER])
    .where(match)
    .where(sql<SqlBool>`${high} is not true`)
  // Both tiers as rows (id, score, sort_name, seen: the high tier's rows read), when worth trying.
  const tiered = sql`(select id, score, sort_name, seen from (select id, score, sort_name, count(*) over () as seen from (${highRows}) as h) as high
      where score < ${sql.lit(EXACT_SCORE)} order by score desc, sort_name, id limit ${rowLimit(limit)})
    union all
    (select id, score, sort_name, seen from (${rest}) as r order by ${sql.raw(WALK_ORDER.join(', '))} limit ${rowLimit(limit)})`
  return sql`(with tiered as materialized (select * from (${tiered}) as t where ${tryTiers}),
      verdict as (select count(*) >= ${rowLimit(limit)} and coalesce(max(seen), 0) <= ${sql.lit(HIGH_RANKED)} as told from tiered)
    select id, score, sort_name from tiered where (select told from verdict)
    union all (select * from (${every}) as every where not (select told from verdict))
    order by score desc, sort_name, id limit ${rowLimit(limit)})`
}

export function searchThemes(db: Executor, q: string, limit: number, match: Match = 'precise'): SearchQuery {
  const m = matching('themes', q, match, oneName('name'), { vector: false })
  return db
    .selectFrom('themes')
    .select([
      'id',
      'name as label',
      sql<string>`coalesce(description, '')`.as('detail'),
      m.score.as('score'),
    ])
    .where('deleted_at', 'is', null)
    .where(m.where)
    .orderBy('score', 'desc')
    .orderBy('sort_name')
    .orderBy('id')
    .limit(limit)
}

/**
 * A source for a record with a name (or title) column, the register's search columns and no
 * Swedish full-text vector: the name is what is scored, `detail` what the snippet adds.
 */
function namedSource(table: 'bodies' | 'alliances' | 'projects' | 'products' | 'activities' | 'plans', name: 'name' | 'title', detail: RawBuilder<string>) {
  return (db: Executor, q: string, limit: number, match: Match = 'precise'): SearchQuery => {
    const m = matching(table, q, match, oneName(name), { vector: false })
    return untyped(db)
      .selectFrom(table)
      .select(['id', `${name} as label`, detail.as('detail'), m.score.as('score')])
      .where('deleted_at', 'is', null)
      .where(m.where)
      .orderBy('score', 'desc')
      .orderBy('sort_name')
      .orderBy('id')
      .limit(limit) as unknown as SearchQuery
  }
}

export const searchBodies = namedSource('bodies', 'name', sql<string>`coalesce(description, '')`)
export const searchAlliances = namedSource('alliances', 'name', sql<string>`coalesce(purpose, '')`)
export const searchProjects = namedSource('projects', 'name', sql<string>`coalesce(evaluation, '')`)
export const searchProducts = namedSource('products', 'title', sql<string>`coalesce(summary, '')`)
export const searchActivities = namedSource('activities', 'title', sql<string>`concat_ws(' · ', start_date::text, location)`)
export const searchPlans = namedSource('plans', 'name', sql<string>`coalesce(goal, '')`)

/** Every searchable type, in the order their groups are listed when they score alike. */
export const SEARCH_SOURCES: readonly SearchSource[] = [
  { type: 'organisation', table: 'organisations', heading: 'search.type.organisation', href: (id) => `/organisations/${id}`, listHref: withQ('/organisations'), query: searchOrganisations },
  {
    type: 'contact',
    table: 'contacts',
    heading: 'search.type.contact',
    href: (id) => `/contacts/${id}`,
    listHref: withQ('/contacts'),
    query: (db, q, limit, match, audience) => searchContacts(db, q, limit, match, audience, 'bounded'),
    tiered: searchContactsInTiers,
  },
  { type: 'theme', table: 'themes', heading: 'search.type.theme', href: (id) => `/themes/${id}`, query: searchThemes },
  { type: 'alliance', table: 'alliances', heading: 'search.type.alliance', href: (id) => `/alliances/${id}`, listHref: withQ('/alliances'), query: searchAlliances },
  { type: 'body', table: 'bodies', heading: 'search.type.body', href: (id) => `/bodies/${id}`, listHref: withQ('/bodies'), query: searchBodies },
  { type: 'project', table: 'projects', heading: 'search.type.project', href: (id) => `/projects/${id}`, listHref: withQ('/projects'), query: searchProjects },
  { type: 'product', table: 'products', heading: 'search.type.product', href: (id) => `/products/${id}`, listHref: withQ('/products'), query: searchProducts },
  { type: 'activity', table: 'activities', heading: 'search.type.activity', href: (id) => `/activities/${id}`, listHref: withQ('/activities'), query: searchActivities },
  { type: 'plan', table: 'plans', heading: 'search.type.plan', href: (id) => `/plans/${id}`, listHref: withQ('/plans'), query: searchPlans },
]

export const SEARCH_TYPES: readonly string[] = SEARCH_SOURCES.map((s) => s.type)
