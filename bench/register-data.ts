/**
 * A register of realistic size, made in the database with INSERT … SELECT generate_series (a
 * few seconds for 100 000 contacts, where the app's write path would take minutes). Public
 * bodies and places are real (public facts); every person is fictional: first names and
 * surnames are drawn from common-name lists and combined arbitrarily, e-mail addresses are at
 * example domains. The derived columns are computed the way the services compute them:
 * search_text as foldForSearch (lower case, accents off), sort_name as swedishSortKey
 * (å ä ö after z). Used by the query-plan test and bench/register.bench.ts.
 */
import { sql, type Kysely } from 'kysely'
import { COUNTIES } from '../src/register/counties.ts'

// Fifty real places and the county each lies in.
const PLACES: [place: string, county: string][] = [
  ['Stockholm', 'Stockholms län'], ['Södertälje', 'Stockholms län'], ['Norrtälje', 'Stockholms län'], ['Botkyrka', 'Stockholms län'],
  ['Uppsala', 'Uppsala län'], ['Enköping', 'Uppsala län'], ['Nyköping', 'Södermanlands län'], ['Eskilstuna', 'Södermanlands län'],
  ['Katrineholm', 'Södermanlands län'], ['Linköping', 'Östergötlands län'], ['Norrköping', 'Östergötlands län'], ['Motala', 'Östergötlands län'],
  ['Jönköping', 'Jönköpings län'], ['Värnamo', 'Jönköpings län'], ['Nässjö', 'Jönköpings län'], ['Växjö', 'Kronobergs län'],
  ['Ljungby', 'Kronobergs län'], ['Kalmar', 'Kalmar län'], ['Västervik', 'Kalmar län'], ['Visby', 'Gotlands län'],
  ['Karlskrona', 'Blekinge län'], ['Karlshamn', 'Blekinge län'], ['Malmö', 'Skåne län'], ['Helsingborg', 'Skåne län'],
  ['Lund', 'Skåne län'], ['Kristianstad', 'Skåne län'], ['Ystad', 'Skåne län'], ['Halmstad', 'Hallands län'],
  ['Varberg', 'Hallands län'], ['Göteborg', 'Västra Götalands län'], ['Borås', 'Västra Götalands län'], ['Trollhättan', 'Västra Götalands län'],
  ['Skövde', 'Västra Götalands län'], ['Uddevalla', 'Västra Götalands län'], ['Karlstad', 'Värmlands län'], ['Arvika', 'Värmlands län'],
  ['Örebro', 'Örebro län'], ['Karlskoga', 'Örebro län'], ['Västerås', 'Västmanlands län'], ['Köping', 'Västmanlands län'],
  ['Falun', 'Dalarnas län'], ['Borlänge', 'Dalarnas län'], ['Gävle', 'Gävleborgs län'], ['Hudiksvall', 'Gävleborgs län'],
  ['Sundsvall', 'Västernorrlands län'], ['Örnsköldsvik', 'Västernorrlands län'], ['Östersund', 'Jämtlands län'], ['Umeå', 'Västerbottens län'],
  ['Skellefteå', 'Västerbottens län'], ['Luleå', 'Norrbottens län'],
]
// Parts of a town, so that pattern × place × area names 20 000 organisations without numbering them.
const AREAS = ['centrum', 'norra', 'södra', 'östra', 'västra', 'hamnen', 'Berga', 'Rosengård', 'Hageby', 'Fornby', 'Gränby', 'Ekbacken']
const ORG_PATTERNS: [kind: string, before: string, after: string][] = [
  ['municipality', 'Socialförvaltningen i ', ''], ['municipality', 'Integrationsenheten i ', ''], ['municipality', 'Vuxenutbildningen i ', ''],
  ['municipality', 'Fritidsgården i ', ''], ['municipality', 'Biblioteket i ', ''], ['municipality', 'Gymnasieskolan i ', ''],
  ['municipality', 'Familjecentralen i ', ''], ['municipality', 'Arbetsmarknadsenheten i ', ''], ['region', 'Vårdcentralen i ', ''],
  ['region', 'Hälsokommunikatörerna i ', ''], ['ngo', 'Föreningen Nya Vänner i ', ''], ['ngo', 'Röda Korset ', ''],
  ['ngo', 'Rädda Barnen ', ''], ['ngo', 'Studieförbundet Vuxenskolan ', ''], ['ngo', 'ABF ', ''], ['ngo', 'Språkcaféet i ', ''],
  ['ngo', 'Hyresgästföreningen ', ''], ['ngo', 'Kvinnojouren i ', ''], ['ngo', 'Idrottsföreningen ', ' IF'],
  ['ngo', 'Svenska kyrkan, församlingen i ', ''], ['ngo', 'Läxhjälpen ', ''], ['research', 'FoU-enheten ', ''],
  ['authority', 'Migrationsverket, mottagningsenheten ', ''], ['authority', 'Arbetsförmedlingen ', ''],
  ['authority', 'Försäkringskassan ', ''], ['authority', 'Polisen, lokalpolisområde ', ''], ['authority', 'Skatteverket ', ''],
  ['partnership', 'Utvecklingspartnerskapet Välkommen ', ''], ['business', 'Bemanning & Språk ', ' AB'], ['business', 'Tolkservice ', ' AB'],
  ['media', 'Lokaltidningen ', ''], ['media', 'Närradion ', ''], ['other', 'Folkhögskolan ', ''],
]
const NATIONAL: [name: string, short: string | null, kind: string][] = [
  ['Migrationsverket', 'MV', 'authority'], ['Arbetsförmedlingen', 'AF', 'authority'], ['Försäkringskassan', 'FK', 'authority'],
  ['Socialstyrelsen', null, 'authority'], ['Skolverket', null, 'authority'], ['Svenska ESF-rådet', null, 'authority'],
  ['Justitiedepartementet', null, 'ministry'], ['Arbetsmarknadsdepartementet', null, 'ministry'], ['Sveriges Kommuner och Regioner', 'SKR', 'other'],
  ['Svenska Röda Korset', null, 'ngo'], ['UNHCR', null, 'international'], ['Malmö universitet', null, 'research'],
]
const FIRST_NAMES = [
  'Anna', 'Eva', 'Maria', 'Karin', 'Sara', 'Lena', 'Kerstin', 'Emma', 'Ingrid', 'Malin', 'Jenny', 'Hanna', 'Linnéa', 'Elin',
  'Sofia', 'Ida', 'Maja', 'Åsa', 'Märta', 'Ebba', 'Lars', 'Mikael', 'Anders', 'Johan', 'Per', 'Erik', 'Karl', 'Peter',
  'Thomas', 'Jan', 'Daniel', 'Fredrik', 'Hans', 'Andreas', 'Stefan', 'Mats', 'Magnus', 'Mattias', 'Björn', 'Jonas', 'Göran',
  'Oskar', 'Amir', 'Fatima', 'Ahmed', 'Leyla', 'Noor', 'Yusuf', 'Aida', 'Dragan', 'Mirela', 'Tiina', 'Jussi', 'Sven',
]
const SURNAMES = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson',
  'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström',
  'Olofsson', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström', 'Lundberg', 'Lind', 'Lundgren', 'Lundqvist',
  'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg', 'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Eklund',
  'Danielsson', 'Lundin', 'Håkansson', 'Björk', 'Bergman', 'Gunnarsson', 'Holm', 'Wikström', 'Samuelsson', 'Isaksson',
  'Fransson', 'Bergqvist', 'Nyström', 'Holmberg', 'Arvidsson', 'Löfgren', 'Söderberg', 'Nyberg', 'Blomqvist', 'Claesson',
  'Hussein', 'Ali', 'Mohammed', 'Hodžić', 'Kovačević', 'Yilmaz', 'Nguyen', 'Virtanen', 'Korhonen', 'Öberg',
]
const TITLES = [
  'Integrationssamordnare', 'Handläggare', 'Enhetschef', 'Utvecklingsledare', 'Projektledare', 'Kommunikatör',
  'Utredare', 'Verksamhetschef', 'Forskare', 'Hälsokommunikatör', 'Samhällsorienterare', 'Förvaltningschef',
  'Socialsekreterare', 'Länsråd', 'Generaldirektör', 'Journalist', 'Volontärsamordnare', 'Studievägledare',
]
const TAGS = ['asyl', 'mottagning', 'etablering', 'hälsa', 'språk', 'arbetsmarknad', 'boende', 'barn', 'utbildning', 'civilsamhälle']
const CATEGORIES = ['practitioner', 'decision_maker', 'recipient', 'stakeholder', 'researcher', 'media', 'official', 'other']

const arr = (xs: readonly string[]) => sql`${sql.val(xs)}::text[]`
/** The i-th element (1-based arrays; i any integer expression), cycling. */
const pick = (xs: readonly string[], i: ReturnType<typeof sql>) => sql`(${arr(xs)})[1 + ((${i}) % ${xs.length})]`
/** foldForSearch and swedishSortKey in SQL, for the characters these lists use. */
const fold = (e: ReturnType<typeof sql>) => sql`lower(unaccent(${e}))`
const sortKey = (e: ReturnType<typeof sql>) => sql`translate(lower(${e}), 'åäæöøüéčžš', '{||}}yeczs')`

export interface RegisterSize {
  organisations: number
  contacts: number
  /** Share of contacts with an affiliation (default 0.85). */
  affiliated?: number
}

export async function generateRegister(db: Kysely<any>, size: RegisterSize): Promise<void> {
  // The real national bodies and the 21 county boards first, then pattern × place × area.
  await sql`
    insert into organisations (name, short_name, kind, county, sort_name, search_text)
    select name, short_name, kind, county, ${sortKey(sql`name`)}, ${fold(sql`concat_ws(' ', name, short_name)`)}
    from (
      select n.name, n.short_name, n.kind, null as county
        from unnest(${arr(NATIONAL.map((n) => n[0]))}, ${sql.val(NATIONAL.map((n) => n[1]))}::text[], ${arr(NATIONAL.map((n) => n[2]))}) as n(name, short_name, kind)
      union all
      select 'Länsstyrelsen i ' || c, null, 'county_board', c from unnest(${arr(COUNTIES)}) as c
    ) fixed`.execute(db)
  const generated = size.organisations - NATIONAL.length - COUNTIES.length
  const p = ORG_PATTERNS.length
  const patternPart = (k: 0 | 1 | 2) => sql`(${arr(ORG_PATTERNS.map((x) => x[k]))})[1 + (i % ${p})]`
  // i → pattern (i mod p), place (i / p mod places), area (i / (p · places)): distinct names up to p · places · areas.
  const place = sql`(i / ${p}) % ${PLACES.length}`
  const area = sql`(i / ${p * PLACES.length})`
  await sql`
    insert into organisations (name, short_name, kind, county, tags, sort_name, search_text, created_at, updated_at)
    select name, short_name, kind, county, tags, ${sortKey(sql`name`)}, ${fold(sql`concat_ws(' ', name, short_name)`)}, at, at
    from (
      select ${patternPart(1)} || (${arr(PLACES.map((x) => x[0]))})[1 + ${place}] || ${patternPart(2)}
          || case when ${area} > 0 then ' ' || (${arr(AREAS)})[1 + (${area} - 1) % ${AREAS.length}]
               || case when ${area} > ${AREAS.length} then ' ' || (${area} - 1) / ${AREAS.length} + 1 else '' end
             else '' end as name,
        null::text as short_name,
        ${patternPart(0)} as kind,
        case when i % 25 <> 0 then (${arr(PLACES.map((x) => x[1]))})[1 + ${place}] end as county,
        array[${pick(TAGS, sql`i`)}, ${pick(TAGS, sql`i / 3`)}]::text[] as tags,
        now() - make_interval(days => i % 900) as at
      from generate_series(0, ${generated - 1}) as i
    ) g`.execute(db)

  const first = pick(FIRST_NAMES, sql`i * 31`)
  const last = pick(SURNAMES, sql`i * 17 + i / 997`)
  await sql`
    insert into contacts (first_name, last_name, email, title, categories, county, tags, sort_name, search_text, created_at, updated_at)
    select first_name, last_name, email, title, categories, county, tags,
      ${sortKey(sql`last_name || ' ' || first_name`)}, ${fold(sql`concat_ws(' ', first_name, last_name, email, title)`)}, at, at
    from (
      select ${first} as first_name, ${last} as last_name,
        case when i % 8 <> 0 then ${fold(sql`${first} || '.' || ${last}`)} || i || '@' || ${pick(['exempel.se', 'example.org', 'test.invalid'], sql`i`)} end as email,
        case when i % 4 <> 0 then ${pick(TITLES, sql`i * 13`)} end as title,
        array[${pick(CATEGORIES, sql`i`)}]::text[] as categories,
        case when i % 6 <> 0 then ${pick(COUNTIES, sql`i * 11`)} end as county,
        case when i % 3 = 0 then array[${pick(TAGS, sql`i * 5`)}]::text[] else '{}'::text[] end as tags,
        now() - make_interval(days => i % 1200) as at
      from generate_series(0, ${size.contacts - 1}) as i
    ) g`.execute(db)

  // Most people work somewhere; a few moved on (an end date) and work somewhere else now.
  const every = Math.max(1, Math.round(1 / (1 - (size.affiliated ?? 0.85))))
  await sql`
    insert into affiliations (contact_id, organisation_id, role, start_date, end_date, is_primary)
    select c.id, o.id, ${pick(TITLES, sql`c.rn`)}, date '2015-01-01' + (c.rn % 3000)::int,
      case when c.rn % 11 = 0 then date '2024-01-01' + (c.rn % 500)::int end, c.rn % 11 <> 0
    from (select id, row_number() over (order by id) as rn from contacts) c
    join (select id, row_number() over (order by id) - 1 as rn from organisations) o
      on o.rn = (c.rn * 7919) % (select count(*) from organisations)
    where c.rn % ${every} <> 0`.execute(db)
  await sql`
    insert into affiliations (contact_id, organisation_id, role, start_date, is_primary)
    select c.id, o.id, 'Ny tjänst', date '2024-06-01', true
    from (select id, row_number() over (order by id) as rn from contacts) c
    join (select id, row_number() over (order by id) - 1 as rn from organisations) o
      on o.rn = (c.rn * 104729) % (select count(*) from organisations)
    where c.rn % 11 = 0`.execute(db)
  await sql`analyze`.execute(db)
}
