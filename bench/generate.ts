/**
 * The large, deterministic data set of the benchmark suite (issue 15), at scale 1:
 * 200 000 contacts, 30 000 organisations, 400 000 affiliations and relationships (about
 * 200 000 affiliations, 100 000 organisation relationships, 100 000 alliance memberships and
 * commitments of people), 2 000 alliances, 60 000 activities with 600 000 participations, and
 * 500 plans, and 100 000 interactions (meetings, calls, e-mails, notes over four years, nine in
 * ten about a person, one in ten about an organisation: what the contacts list's "last engaged"
 * reads). The same rows every run (no randomness: row numbers pick every value).
 *
 *   npm run bench:generate -- --scale 0.1 --data-dir /tmp/navet-big     PGlite in that directory
 *   DATABASE_URL=postgres://…/navet_big npm run bench:generate -- --scale 1
 *
 * The database is migrated first; it must hold no contacts yet. Rows go in with set-based
 * INSERT … SELECT (the repos' batch path in bulk: the derived columns — search_text,
 * sort_name — computed as the services compute them, see bench/register-data.ts), then ANALYZE,
 * as the app does after its own bulk loads (src/db/statistics.ts). Public bodies and places are
 * real; every person is fictional (common first names and surnames combined, e-mail addresses at
 * example domains). A few people have rare names, for the "rare name" reads of the suite.
 */
import { sql, type Kysely } from 'kysely'
import { connect } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import type { Database } from '../src/db/schema.ts'
import { refreshStatistics } from '../src/db/statistics.ts'
import { COUNTIES } from '../src/register/counties.ts'
import { foldForSearch } from '../src/register/search-text.ts'
import { generateRegister } from './register-data.ts'

export const FULL_SIZE = {
  contacts: 200_000,
  organisations: 30_000,
  relationships: 100_000,
  alliances: 2_000,
  memberships: 100_000,
  activities: 60_000,
  participations: 600_000,
  plans: 500,
  interactions: 100_000,
}
export type Size = typeof FULL_SIZE

export const sizeAt = (scale: number): Size =>
  Object.fromEntries(Object.entries(FULL_SIZE).map(([k, v]) => [k, Math.max(k === 'organisations' ? 200 : 10, Math.round(v * scale))])) as Size

/** People with names nobody else has: the suite's "rare name" and "exact e-mail" reads look for them. */
export const RARE_PEOPLE = [
  { first_name: 'Ingegerd', last_name: 'Zetterholm', email: 'ingegerd.zetterholm@exempel.se' },
  { first_name: 'Åsa', last_name: 'Lindström', email: 'asa.lindstrom@exempel.se' },
  { first_name: 'Torbjörn', last_name: 'Åkerlund-Kvist', email: 'torbjorn.akerlund@exempel.se' },
]

const TYPES = ['conference', 'seminar', 'workshop', 'course', 'report', 'article', 'newsletter', 'website', 'visibility_event', 'meeting', 'policy_input', 'study_visit']
const REL_TYPES = ['funds', 'reports_to', 'partner_of', 'member_of', 'advises']
const ATTENDANCE = ['invited', 'registered', 'attended', 'received', 'no_show', 'attended']
const THEMES = ['Hälsokommunikation', 'Arbetsmarknad', 'Etablering', 'Samhällsorientering', 'Språk', 'Boende', 'Barn och unga', 'Civilsamhälle']

export interface Generated {
  size: Size
  rows: Record<string, number>
  ms: number
}

export async function generate(db: Kysely<Database>, size: Size, log: (m: string) => void = () => {}): Promise<Generated> {
  const started = performance.now()
  const step = async (name: string, q: ReturnType<typeof sql>) => {
    const t0 = performance.now()
    await q.execute(db)
    log(`${name}: ${Math.round(performance.now() - t0)} ms`)
  }
  const t0 = performance.now()
  await generateRegister(db as unknown as Kysely<any>, { organisations: size.organisations, contacts: size.contacts - RARE_PEOPLE.length })
  log(`organisations, contacts, affiliations: ${Math.round(performance.now() - t0)} ms`)
  for (const p of RARE_PEOPLE) {
    const fold = foldForSearch(p.first_name, p.last_name, p.email)
    await sql`insert into contacts (first_name, last_name, email, categories, sort_name, search_text)
      values (${p.first_name}, ${p.last_name}, ${p.email}, '{official}', ${`${p.last_name} ${p.first_name}`.toLowerCase()}, ${fold})`.execute(db)
  }
  await step('themes', sql`insert into themes (name, sort_name, search_text) select n, lower(n), fold_name(n) from unnest(${sql.val(THEMES)}::text[]) n`)
  // Numbered views of the rows, so that every link is picked by row number (the same every run).
  await sql`create temporary table o_n as select id, (row_number() over (order by id))::int - 1 as n from organisations`.execute(db)
  await sql`create temporary table c_n as select id, (row_number() over (order by id))::int - 1 as n from contacts`.execute(db)
  await sql`create index on o_n (n)`.execute(db)
  await sql`create index on c_n (n)`.execute(db)
  const orgs = sql`(select count(*) from o_n)::int`
  const people = sql`(select count(*) from c_n)::int`
  await step('organisation relationships', sql`insert into organisation_relationships (from_organisation_id, to_organisation_id, type, start_date)
    select a.id, b.id, (${sql.val(REL_TYPES)}::text[])[1 + i % 5], case when i % 2 = 0 then date '2018-01-01' + (i % 2000) end
    from generate_series(0, ${size.relationships - 1}) i
    join o_n a on a.n = i % ${orgs}
    join o_n b on b.n = (i * 7 + 1 + i / ${orgs}) % ${orgs}
    where a.id <> b.id
    on conflict do nothing`)
  await step('alliances', sql`insert into alliances (name, sort_name, status, start_date, search_text)
    select 'Allians ' || i, 'allians ' || lpad(i::text, 5, '0'), (array['exploring', 'proposed', 'active', 'dormant', 'ended'])[1 + i % 5],
      date '2026-01-01' - i, 'allians ' || i
    from generate_series(1, ${size.alliances}) i`)
  await step('alliance members', sql`insert into alliance_members (alliance_id, organisation_id, role, contact_id)
    select a.id, o.id, (array['lead', 'partner', 'partner', 'supporter'])[1 + i % 4], case when i % 3 = 0 then c.id end
    from generate_series(0, ${size.memberships - 1}) i
    join (select id, (row_number() over (order by id))::int - 1 as n from alliances) a on a.n = i % ${size.alliances}
    join o_n o on o.n = (i * 13 + i / ${size.alliances}) % ${orgs}
    join c_n c on c.n = (i * 29) % ${people}
    on conflict do nothing`)
  await step('activities', sql`insert into activities (title, sort_name, type, status, start_date, level, theme_ids, location, search_text)
    select t || ' ' || i, lower(t) || ' ' || lpad(i::text, 6, '0'), (${sql.val(TYPES)}::text[])[1 + i % 12],
      case when i % 10 = 0 then 'cancelled' when i % 10 < 3 then 'planned' else 'done' end,
      date '2026-12-01' - (i % 1460), case when i % 4 = 0 then 'vertical' else 'horizontal' end,
      array[(select id from themes order by name offset (i % ${THEMES.length}) limit 1)], place,
      fold_name(t || ' ' || i || ' ' || place)
    from (select i, (array['Seminarium om', 'Workshop:', 'Konferens', 'Nyhetsbrev', 'Studiebesök i'])[1 + i % 5] || ' ' || (${sql.val(THEMES)}::text[])[1 + i % 8] as t,
            (array['Stockholm', 'Göteborg', 'Malmö', 'Jönköping', 'Umeå'])[1 + i % 5] as place
          from generate_series(1, ${size.activities}) i) g`)
  await sql`create temporary table a_n as select id, (row_number() over (order by id))::int - 1 as n from activities`.execute(db)
  await sql`create index on a_n (n)`.execute(db)
  // Nine in ten participations are people, one in ten an organisation as such.
  await step('participations', sql`insert into activity_participants (activity_id, contact_id, organisation_id, attendance)
    select a.id, case when i % 10 <> 0 then c.id end, case when i % 10 = 0 then o.id end, (${sql.val(ATTENDANCE)}::text[])[1 + (i * 7) % 6]
    from generate_series(0, ${size.participations - 1}) i
    join a_n a on a.n = i % ${size.activities}
    join c_n c on c.n = (i * 97 + i / ${size.activities}) % ${people}
    join o_n o on o.n = (i * 31) % ${orgs}`)
  // Plans: by category, by kind of organisation, by county; some with a theme.
  await step('plans', sql`insert into plans (name, sort_name, status, target, theme_ids, goal, search_text)
    select 'Spridningsplan ' || i, 'spridningsplan ' || lpad(i::text, 4, '0'), (array['draft', 'active', 'active', 'achieved'])[1 + i % 4],
      case i % 3
        when 0 then jsonb_build_object('filter', jsonb_build_object('categories', jsonb_build_array((array['official', 'practitioner', 'decision_maker'])[1 + i % 3])))
        when 1 then jsonb_build_object('filter', jsonb_build_object('kinds', jsonb_build_array((array['county_board', 'municipality', 'ngo'])[1 + i % 3])))
        else jsonb_build_object('filter', jsonb_build_object('counties', jsonb_build_array((${sql.val([...COUNTIES])}::text[])[1 + i % 21])))
      end,
      case when i % 2 = 0 then array[(select id from themes order by name offset (i % ${THEMES.length}) limit 1)] else '{}'::uuid[] end,
      'Nå alla berörda', 'spridningsplan ' || i || ' na alla berorda'
    from generate_series(1, ${size.plans}) i`)
  // Interactions, each linked to one person (nine in ten) or one organisation.
  await step('interactions', sql`insert into interactions (kind, occurred_on, summary)
    select (array['meeting', 'call', 'email', 'note'])[1 + i % 4], date '2026-12-01' - (i % 1460), 'Kontakt nummer ' || i
    from generate_series(0, ${size.interactions - 1}) i`)
  await step('interaction links', sql`insert into interaction_links (interaction_id, contact_id, organisation_id)
    select x.id, case when x.n % 10 <> 0 then c.id end, case when x.n % 10 = 0 then o.id end
    from (select id, (row_number() over (order by id))::int - 1 as n from interactions) x
    join c_n c on c.n = (x.n * 61) % ${people}
    join o_n o on o.n = (x.n * 17) % ${orgs}`)
  for (const t of ['o_n', 'c_n', 'a_n']) await sql`drop table ${sql.id(t)}`.execute(db)
  const t1 = performance.now()
  await refreshStatistics(db)
  log(`analyze: ${Math.round(performance.now() - t1)} ms`)
  const rows: Record<string, number> = {}
  for (const table of ['organisations', 'contacts', 'affiliations', 'organisation_relationships', 'alliances', 'alliance_members', 'activities', 'activity_participants', 'plans', 'interactions', 'interaction_links']) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.id(table)}`.execute(db)
    rows[table] = Number(r.rows[0]!.n)
  }
  return { size, rows, ms: Math.round(performance.now() - started) }
}

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}

if (import.meta.main) {
  const scale = Number(argOf('scale') ?? 1)
  const dataDir = argOf('data-dir') ?? process.env.DATA_DIR
  if (!process.env.DATABASE_URL && !dataDir) {
    console.error('Usage: npm run bench:generate -- --scale 0.1 --data-dir DIR   (or DATABASE_URL=postgres://… for PostgreSQL)')
    process.exit(2)
  }
  const handle = await connect({ databaseUrl: process.env.DATABASE_URL, dataDir: dataDir ?? '' })
  await migrateToLatest(handle.db)
  const existing = await sql<{ n: string }>`select count(*)::text as n from contacts`.execute(handle.db)
  if (Number(existing.rows[0]!.n) > 0) {
    console.error('The database holds contacts already: generate into an empty one.')
    process.exit(2)
  }
  const result = await generate(handle.db, sizeAt(scale), (m) => console.log(m))
  console.log(JSON.stringify({ scale, ...result }, null, 2))
  await handle.close()
}
