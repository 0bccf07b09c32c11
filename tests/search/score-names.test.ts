import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRegister } from '../../bench/register-data.ts'
import { CONTACT_NAMES } from '../../src/contacts/search-names.ts'
import { searchActivities, searchContacts } from '../../src/search/sources.ts'
import { createActivity } from '../../src/activities/activities.service.ts'
import { createActivity as activityInput } from '../../src/activities/activities.schema.ts'
import type { DbHandle } from '../../src/db/connect.ts'
import type { Executor } from '../../src/db/write.ts'
import { EXACT_SCORE, exactMatch, textScore, type ScoreNames } from '../../src/register/search-filter.ts'
import { likePattern } from '../../src/register/list-query.ts'
import { foldForSearch } from '../../src/register/search-text.ts'
import { testDb } from '../helpers/db.ts'

// A person's names are ranked with the joined "first last" compared only for a query of several
// words: a one-word query equals or starts the joined names only when it equals or starts one of
// them, and the joined names were a fold (unaccent) more of every matching row — a common
// surname's 717 rows, a sixth of a search's time on PostgreSQL (issue 15). The ranks must be
// exactly those of comparing every name, joined included, as before.
let handle: DbHandle
beforeAll(async () => {
  handle = await testDb()
})
afterAll(() => handle.close())

/**
 * What `run` returns, and how many times it called unaccent. PostgreSQL counts a C function's calls
 * when track_functions is 'all' (pg_stat_xact_user_functions: those not yet reported, earlier
 * transactions' too, so counted before and after). Counted: the form naming its dictionary;
 * unaccent(text) alone looks the dictionary up at every call.
 */
function countingFolds<T>(run: (tx: Executor) => Promise<T>): Promise<{ folds: number; result: T }> {
  return handle.db.transaction().execute(async (tx) => {
    await sql`set local track_functions = 'all'`.execute(tx)
    const calls = async () => (await sql<{ calls: number }>`select coalesce(sum(calls), 0)::int as calls from pg_stat_xact_user_functions where funcid = 'public.unaccent(regdictionary, text)'::regprocedure`.execute(tx)).rows[0]!.calls
    const before = await calls()
    const result = await run(tx)
    return { folds: (await calls()) - before, result }
  })
}

/** As contacts were ranked before: the joined names as one more name, compared with every query. */
const EVERY_NAME: ScoreNames = { names: [sql`concat_ws(' ', first_name, last_name)`, sql.ref('first_name'), sql.ref('last_name')], codes: [sql.ref('email')] }

type Person = { first: string | null; last: string | null; email: string | null }

/**
 * The rank as it was before it asked for a prefix first: an exact name (4), else a name starting
 * with the query (3), a stem (2) or a substring (1), each plus the share of the text covered.
 */
function exactFirst(q: string, score: ScoreNames) {
  const folded = foldForSearch(q)
  const plain = q.trim().toLowerCase()
  const names = score.joined && folded.includes(' ') ? [score.joined, ...score.names] : score.names
  const starts = sql.join([
    ...names.map((n) => sql`lower(unaccent(coalesce(${n}, ''))) like ${likePattern(folded).slice(1)}`),
    ...(score.codes ?? []).map((c) => sql`lower(${c}) like ${likePattern(plain).slice(1)}`),
  ], sql` or `)
  return sql<number>`(case when ${exactMatch(q, score)} then ${EXACT_SCORE}::float8
    else (case when ${starts} then 3 when search_vector @@ websearch_to_tsquery('swedish', ${q}) then 2 else 1 end)
      + 0.99 * least(1.0, ${folded.length}::float8 / greatest(length(search_text), 1)) end)`
}

async function ranks(q: string, people: Person[]) {
  // The searched text as the contacts' service folds it (foldForSearch): the rank trusts it to
  // start with the first name, folded as the database folds it (ScoreNames.leading).
  const rows = people.map((p) => sql`(${p.first}::text, ${p.last}::text, ${p.email}::text, ${foldForSearch(p.first, p.last, p.email)}::text)`)
  const { rows: found } = await sql<{ before: number; now: number; exact_first: number; exact_before: boolean; exact_now: boolean }>`
    select ${textScore('contacts', q, EVERY_NAME)} as before, ${textScore('contacts', q, CONTACT_NAMES)} as now,
      ${exactFirst(q, EVERY_NAME)} as exact_first,
      ${exactMatch(q, EVERY_NAME)} as exact_before, ${exactMatch(q, CONTACT_NAMES)} as exact_now
    from (select first_name, last_name, email, search_text,
        to_tsvector('swedish', concat_ws(' ', first_name, last_name)) as search_vector
      from (values ${sql.join(rows)}) as v(first_name, last_name, email, search_text)) as contacts`.execute(handle.db)
  return found
}

describe('a person’s names in a search’s rank', () => {
  it('folds each name once for a query of one word, and the joined names too for one of several', () => {
    const folds = (q: string) => handle.db.selectNoFrom(textScore('contacts', q, CONTACT_NAMES).as('s')).compile().sql.match(/unaccent\(/g)!.length
    // Exact and prefix: the surname and the first name, each twice.
    expect(folds('andersson')).toBe(4)
    expect(folds('åsa lindström')).toBe(6)
  })

  it('folds each name at most once of a row no name of which starts with the query, an organisation’s or a person’s', async () => {
    const unaccents = async (q: string, score: ScoreNames, lasts: string[]) => {
      const rows = lasts.map((last) => sql`('Åsa'::text, ${last}::text, null::text)`)
      return (await countingFolds((tx) => sql`select ${textScore('contacts', q, score)} from (select first_name, last_name, email,
          'asa ' || lower(last_name) || ' jonkoping' as search_text, to_tsvector('swedish', last_name) as search_vector
        from (values ${sql.join(rows)}) as v(first_name, last_name, email)) as contacts`.execute(tx))).folds
    }
    // Names no other record has (an organisation's): a place names many that neither are nor start
    // with it. Four rows, two names each, each folded once (twice before: equal? then starts?).
    const own: ScoreNames = { names: [sql.ref('last_name'), sql.ref('first_name')] }
    expect(await unaccents('jonkoping', own, ['Lindqvist', 'Östberg', 'Berg', 'Öberg'])).toBe(4 * 2)
    // People's names: a fragment finds thousands whose names neither are nor start with it
    // ("sson": 88 666 at 200 000 contacts), each folding its surname once. The first name, which
    // the searched text starts with, is folded only where the text starts with the query
    // (ScoreNames.leading; it was folded for every row). A person exact on the surname folds it
    // twice: a name that fills a page is read from the name indexes, not ranked.
    expect(await unaccents('sson', CONTACT_NAMES, ['Andersson', 'Olsson', 'Persson'])).toBe(3 * 1)
    expect(await unaccents('andersson', CONTACT_NAMES, ['Andersson', 'Andersson', 'Andersson'])).toBe(3 * 2)
    // A first name that is the query: the text starts with it, and the name is folded to ask so;
    // then both names to ask whether one is the query (the surname first).
    expect(await unaccents('asa', CONTACT_NAMES, ['Lindqvist', 'Berg'])).toBe(2 * (1 + 1 + 2))
  })

  it('ranks a name the two folds read differently as the database’s fold reads it', async () => {
    // foldText keeps ’ – and a fullwidth letter in the searched text; unaccent folds them to what a
    // user types. The text does not start with the query there, and the name is folded all the same.
    const cases: [string, Person, number][] = [
      ["d'andre", { first: 'D’Andre', last: 'Qvist', email: null }, EXACT_SCORE],
      ["d'an", { first: 'D’Andre', last: 'Qvist', email: null }, 3],
      ['gote berg', { first: 'Ｇöte', last: 'Berg', email: null }, EXACT_SCORE],
      ['kommun - d', { first: 'Kommun – dag', last: 'Berg', email: null }, 3],
    ]
    for (const [q, person, score] of cases) {
      const [r] = await ranks(q, [person])
      expect(Math.floor(r!.now), `${q} ${person.first}`).toBe(score)
      expect(r!.now).toBeCloseTo(r!.before, 9)
      expect(r!.exact_now).toBe(r!.exact_before)
    }
  })

  it('ranks every person as comparing every name did, for any query', async () => {
    // With what a LIKE pattern must escape (\\, %, _), to be equal and a prefix alike.
    // And with characters the two folds read differently: foldText keeps ’ – and a fullwidth
    // letter, which the database's unaccent folds to ' - and the ASCII letter (textScore).
    const part = fc.constantFrom('Åsa', 'asa', 'Lindström', 'Lind', 'Ebba Åsa', 'Ærø', 'aero', 'Zoë', 'van der Berg', 'Andersson', 'And', 'É', '', 'a\\b', '50%', 'a_b',
      'D’Andre', "d'andre", 'Kommun – dag', 'kommun - dag', 'Ｇöte', 'gote')
    const name = fc.option(part, { nil: null })
    const emails = ['asa.lindstrom@example.se', 'And@example.se', 'a\\b@x.se', 'a_b%@X.se']
    const person = fc.record({ first: name, last: name, email: fc.option(fc.constantFrom(...emails), { nil: null }) })
    // Queries made of the names' own parts (so that they match), joined as a user would type them,
    // or an e-mail address in any case.
    const words = fc.array(part, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '))
    const email = fc.tuple(fc.constantFrom(...emails), fc.boolean()).map(([e, upper]) => (upper ? e.toUpperCase() : e))
    const query = fc.oneof(words, email).filter((q) => foldForSearch(q).length > 0)
    await fc.assert(
      fc.asyncProperty(query, fc.array(person, { minLength: 1, maxLength: 6 }), async (q, people) => {
        const named = people.filter((p) => p.first !== null || p.last !== null)
        if (named.length === 0) return
        for (const r of await ranks(q, named)) {
          expect(r.now).toBeCloseTo(r.before, 9)
          expect(r.before).toBeCloseTo(r.exact_first, 9)
          expect(r.exact_now).toBe(r.exact_before)
        }
      }),
      { numRuns: 100 },
    )
  })
})

describe('the global search’s people', () => {
  it('folds the surname of each person a fragment finds once, and not the first name', async () => {
    await generateRegister(handle.db, { organisations: 100, contacts: 400 })
    const { folds, result } = await countingFolds((tx) => searchContacts(tx, 'sson', 21).execute())
    const calls = { folds, found: result.length }
    const { rows: [matched] } = await sql<{ n: number }>`select count(*)::int as n from contacts where search_text like '%sson%' and deleted_at is null`.execute(handle.db)
    expect(matched!.n).toBeGreaterThan(21)
    expect(calls.found).toBe(21)
    // No name is "sson" nor starts with it: each match's surname folded once, to be ranked, and
    // its first name not at all, as its searched text does not start with "sson"
    // (ScoreNames.leading). Asked first whether a name is the query, and again to leave out the
    // exact ones, each name was folded three times; later each once.
    expect(calls.folds).toBe(matched!.n)
  })
})

describe('the global search’s activities', () => {
  it('folds the title only of an activity whose searched text starts with the query, and ranks those first', async () => {
    // A fragment in many titles ("kommun" in "Hälsokommunikation …": 7 500 of 60 000 activities)
    // folded every one of them to ask whether it starts with the query (ScoreNames.leading).
    const titles = ['Kommunträff i Malmö', 'Kommunikation för alla', 'Kommun', ...Array.from({ length: 12 }, (_, i) => `Hälsokommunikation ${i + 1}`), 'Dialog i Kommunförbundet']
    // A place with an en dash, which foldText keeps: a character the two folds read differently
    // after the query's length does not make a title folded.
    for (const title of titles) await createActivity(handle.db, activityInput.parse({ title, location: 'Kommunhuset – Malmö' }), { userId: null })
    const { folds, result: found } = await countingFolds((tx) => searchActivities(tx, 'kommun', 5).execute())
    const calls = { folds, found }
    // The exact title, then the two that start with it, then the 13 that hold it elsewhere (every
    // one, by its location), each the shorter text first (more of it is the query).
    expect(calls.found.map((r) => r.label)).toEqual(['Kommun', 'Kommunträff i Malmö', 'Kommunikation för alla', 'Hälsokommunikation 1', 'Hälsokommunikation 2'])
    expect(calls.found.map((r) => r.detail)).toEqual(Array(5).fill('Kommunhuset – Malmö'))
    // Three titles start with it: each folded to ask so, then to ask whether it is the query.
    // The other 13 are not folded (16 were, before).
    expect(calls.folds).toBe(3 * 2)
  })
})

describe('the query’s stemmed form in a rank', () => {
  // A prepared search runs on a generic plan once PostgreSQL keeps one (src/db/prepared.ts), and
  // there a call on a parameter is not folded to a constant: websearch_to_tsquery was parsed again
  // for every row ranked, 88 000 times for a fragment like "sson" at 200 000 contacts.
  it('is parsed once per statement (an InitPlan), not once per row, on a generic plan', async () => {
    const compiled = handle.db.selectFrom('contacts').select(textScore('contacts', 'Lindström', CONTACT_NAMES).as('rank')).compile()
    const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`)
    const plan = await handle.db.connection().execute(async (one) => {
      await sql`set plan_cache_mode = force_generic_plan`.execute(one)
      await sql.raw(`prepare ranked as ${compiled.sql}`).execute(one)
      try {
        const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`explain (verbose, costs off) execute ranked(${compiled.parameters.map(literal).join(', ')})`).execute(one)
        return rows.map((r) => r['QUERY PLAN']).join('\n')
      } finally {
        await sql`deallocate ranked`.execute(one)
        await sql`reset plan_cache_mode`.execute(one)
      }
    })
    const output = plan.split('\n').find((line) => line.trim().startsWith('Output:'))!
    expect(plan).toMatch(/InitPlan 1/)
    expect(output).toMatch(/search_vector @@ (\$\d+|\(InitPlan 1\)\.col1)/)
    expect(output).not.toContain('websearch_to_tsquery')
  })
})
