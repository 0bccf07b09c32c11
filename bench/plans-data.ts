import { sql, type Kysely } from 'kysely'
import type { Database } from '../src/db/schema.ts'
import { COUNTIES } from '../src/register/counties.ts'

/** The dissemination benchmark's data set (bench/plans.bench.ts), set-based and the same every run. */

type Db = Kysely<Database>

export interface DisseminationSize {
  contacts: number
  targeted: number
  organisations: number
  activities: number
  participations: number
}

const KINDS = ['authority', 'ministry', 'county_board', 'municipality', 'region', 'ngo', 'research', 'media', 'international', 'partnership', 'business', 'other']
export const OTHER_CATEGORIES = ['practitioner', 'decision_maker', 'recipient', 'stakeholder', 'researcher', 'media']
const TYPES = ['conference', 'seminar', 'workshop', 'course', 'report', 'article', 'newsletter', 'website', 'visibility_event', 'meeting', 'policy_input', 'study_visit']

/** The data set, in set-based statements; ids are matched by row number so that it is the same every run. */
export async function generateDissemination(db: Db, SIZE: DisseminationSize, today: string): Promise<{ themeA: string; officials: string[] }> {
  const run = (q: ReturnType<typeof sql>) => q.execute(db)
  const themes = await sql<{ id: string }>`insert into themes (name, sort_name) values ('Hälsokommunikation', 'halsokommunikation'), ('Arbetsmarknad', 'arbetsmarknad') returning id`.execute(db)
  const [themeA, themeB] = themes.rows.map((r) => r.id) as [string, string]
  await run(sql`insert into organisations (name, sort_name, kind, county)
    select 'Organisation ' || i, 'organisation ' || lpad(i::text, 6, '0'), (${sql.val(KINDS)}::text[])[1 + i % 12], (${sql.val([...COUNTIES])}::text[])[1 + i % 21]
    from generate_series(1, ${SIZE.organisations}) i`)
  await run(sql`insert into contacts (first_name, last_name, sort_name, categories, county)
    select 'Person', 'Nummer ' || i, 'nummer ' || lpad(i::text, 6, '0'),
      case when i <= ${SIZE.targeted} then array['official'] else array[(${sql.val(OTHER_CATEGORIES)}::text[])[1 + i % 6]] end,
      case when i % 3 = 0 then (${sql.val([...COUNTIES])}::text[])[1 + i % 21] end
    from generate_series(1, ${SIZE.contacts}) i`)
  await run(sql`insert into affiliations (contact_id, organisation_id, start_date, end_date, is_primary)
    select c.id, o.id, date '2020-01-01', case when c.rn % 10 = 0 then date '2025-06-30' end, true
    from (select id, row_number() over (order by sort_name) as rn from contacts) c
    join (select id, row_number() over (order by sort_name) as rn from organisations) o on o.rn = 1 + c.rn % ${SIZE.organisations}`)
  await run(sql`insert into activities (title, sort_name, type, status, start_date, level, theme_ids)
    select 'Aktivitet ' || i, 'aktivitet ' || lpad(i::text, 6, '0'), (${sql.val(TYPES)}::text[])[1 + i % 12],
      case when i % 10 = 0 then 'cancelled' when i % 10 < 3 then 'planned' else 'done' end,
      ${today}::date - (i % 720), case when i % 4 = 0 then 'vertical' else 'horizontal' end,
      case when i % 2 = 0 then array[${themeA}::uuid] else array[${themeB}::uuid] end
    from generate_series(1, ${SIZE.activities}) i`)
  await run(sql`insert into activity_participants (activity_id, contact_id, attendance)
    select a.id, c.id, (array['invited', 'registered', 'attended', 'received', 'no_show', 'attended'])[1 + (i * 7) % 6]
    from generate_series(1, ${SIZE.participations}) i
    join (select id, row_number() over (order by sort_name) as rn from activities) a on a.rn = 1 + (i * 31) % ${SIZE.activities}
    join (select id, row_number() over (order by sort_name) as rn from contacts) c on c.rn = 1 + (i * 97) % ${SIZE.contacts}`)
  await run(sql`insert into alliances (name, sort_name, status, start_date)
    select 'Allians ' || i, 'allians ' || lpad(i::text, 4, '0'), (array['exploring', 'proposed', 'active', 'dormant', 'ended'])[1 + i % 5], ${today}::date - i * 20
    from generate_series(1, 40) i`)
  const officials = (await sql<{ id: string }>`select id from contacts where categories = array['official'] order by sort_name`.execute(db)).rows.map((r) => r.id)
  return { themeA, officials }
}

export async function addPlan(db: Db, name: string, target: object, themeIds: string[] = []): Promise<string> {
  const row = await db
    .insertInto('plans')
    .values({ name, sort_name: name.toLowerCase(), status: 'active', target: JSON.stringify(target), theme_ids: themeIds })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

