import pg from 'pg'
import pino from 'pino'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { kyselyOverPglite, kyselyOverPostgres, openPglite, type Db } from '../../src/db/connect.ts'
import { MAX_PREPARED, ONE_PLAN, PLAN_EACH_TIME_MARK } from '../../src/db/prepared.ts'
import { preciseMatch } from '../../src/register/search-filter.ts'
import { searchGroups } from '../../src/search/search.service.ts'
import { testApp, testConfig, type TestApp } from '../helpers/app.ts'
import { testDb } from '../helpers/db.ts'
import { ENGINE } from '../helpers/engines.ts'

it('prepares statements unless DATABASE_PREPARED_STATEMENTS is false', () => {
  expect(loadConfig({}).pool?.preparedStatements).toBe(true)
  expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).pool?.preparedStatements).toBe(false)
  expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(/DATABASE_PREPARED_STATEMENTS/)
})

describe('statements prepared once per connection', () => {
  let handle: Awaited<ReturnType<typeof testDb>>
  let db: Db
  beforeEach(async () => {
    handle = await testDb()
    // One connection (PGlite has only one): what it prepared is what pg_prepared_statements shows it.
    db = ENGINE === 'postgres' ? kyselyOverPostgres(handle.url!, () => {}, { max: 1, connectionTimeoutMillis: 10_000 }).db : handle.db
  })
  afterEach(async () => {
    if (db !== handle.db) await db.destroy()
    await handle.close()
  })
  const prepared = async () =>
    (await sql<{ statement: string; runs: number }>`select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements`.execute(db)).rows

  it('parses a read sent again outside a transaction once, and runs it again under its name', async () => {
    const read = () => db.selectFrom('themes').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('sort_name').execute()
    const mine = async () => (await prepared()).filter((p) => p.statement.includes('"themes"'))
    const first = await read()
    // Sent once, it is not prepared: a text that never comes again would only take a place.
    expect(await mine()).toEqual([])
    expect(await read()).toEqual(first)
    await read()
    expect(await mine()).toEqual([{ statement: expect.stringContaining('select "id", "name" from "themes"'), runs: 2 }])
  })

  it('reports a prepared statement that fails with its SQLSTATE, and the connection goes on', async () => {
    const read = (id: string) => db.selectFrom('contacts').select('id').where('id', '=', id).execute()
    await read('00000000-0000-4000-8000-000000000000')
    for (let n = 0; n < 3; n++) await expect(read('not-a-uuid')).rejects.toMatchObject({ code: '22P02' })
    expect(await read('00000000-0000-4000-8000-000000000000')).toEqual([])
    expect((await prepared()).filter((p) => p.statement.includes('from "contacts"'))).toHaveLength(1)
  })

  it('plans a search under three characters for its pattern every time; a longer one is prepared', async () => {
    const search = (q: string) => db.selectFrom('contacts').select('id').where(preciseMatch('contacts', q)).execute()
    for (const q of ['mv', 'ab']) await search(q)
    expect((await prepared()).filter((p) => p.statement.includes('search_text'))).toEqual([])
    // Every pattern from three characters is looked up the same way: one statement, its plan kept
    // (prepared when it comes the second time).
    for (const q of ['anna', 'andersson', 'zetterholm']) await search(q)
    expect((await prepared()).filter((p) => p.statement.includes('search_text'))).toEqual([{ statement: expect.any(String), runs: 2 }])
  })

  it('runs the global search on one plan for every value once prepared on PostgreSQL, and plans nothing else that way', async () => {
    const plans = async () =>
      (await sql<{ generic: number; custom: number }>`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%order by branch, pos%'`.execute(db)).rows
    const warnings: Error[] = []
    const warned = (w: Error) => warnings.push(w)
    process.on('warning', warned)
    try {
      for (const q of ['andersson', 'lindström', 'jönköping', 'zetterholm']) await searchGroups(db, q, [])
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', warned)
    }
    // Its statements were sent one at a time: pg warns of a query asked while one runs (pg 9 refuses).
    expect(warnings.map((w) => w.message)).toEqual([])
    // Sent the second time, it was prepared; on PostgreSQL the three runs since were on its generic
    // plan. Left to `plan_cache_mode = auto` (PGlite leaves the mark alone), the first five runs
    // are planned for their values (custom).
    expect(await plans()).toEqual([ENGINE === 'postgres' ? { generic: 3, custom: 0 } : { generic: 0, custom: 3 }])
    // The setting was for that statement alone.
    expect((await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`.execute(db)).rows).toEqual([{ mode: 'auto' }])
    // In a transaction of its own, ended: the next statement is a transaction of its own (its
    // start is the transaction's). PGlite stamps the two apart even so.
    if (ENGINE === 'postgres') expect((await sql<{ own: boolean }>`select now() = statement_timestamp() as own`.execute(db)).rows).toEqual([{ own: true }])
    const themes = () => db.selectFrom('themes').select('id').where('name', '=', 'x').execute()
    for (let n = 0; n < 3; n++) await themes()
    const theirs = (await sql<{ custom: number }>`select custom_plans::int as custom from pg_prepared_statements where statement like '%from "themes" where "name"%'`.execute(db)).rows
    expect(theirs).toEqual([{ custom: 2 }])
  })

  it.runIf(ENGINE === 'postgres')('resets the setting after a statement on one plan fails', async () => {
    const divide = (n: number) => sql<{ q: number }>`select 10 / ${n}::int as q ${ONE_PLAN}`.execute(db)
    expect((await divide(2)).rows).toEqual([{ q: 5 }])
    expect((await divide(5)).rows).toEqual([{ q: 2 }])
    await expect(divide(0)).rejects.toMatchObject({ code: '22012' })
    expect((await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode`.execute(db)).rows).toEqual([{ mode: 'auto' }])
    expect((await divide(1)).rows).toEqual([{ q: 10 }])
    const [runs] = (await sql<{ generic: number; custom: number }>`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%10 / $1%'`.execute(db)).rows
    expect(runs).toEqual({ generic: expect.any(Number), custom: 0 })
    expect(runs!.generic).toBeGreaterThanOrEqual(2)
  })

  it.runIf(ENGINE === 'postgres')('runs a statement on one plan without parallel workers, and only that statement', async () => {
    // A parallel plan's workers cost milliseconds to start, more than a search's whole plan at 1 000 000 contacts.
    const setting = () => sql<{ n: string }>`select current_setting('max_parallel_workers_per_gather') as n`.execute(db)
    const workers = () => sql<{ n: string }>`select current_setting('max_parallel_workers_per_gather') as n ${ONE_PLAN}`.execute(db)
    const before = (await setting()).rows
    expect(before).not.toEqual([{ n: '0' }])
    await workers()
    await workers()
    expect((await workers()).rows).toEqual([{ n: '0' }])
    expect((await setting()).rows).toEqual(before)
  })

  it('prepares nothing inside a transaction (writes, imports, migrations)', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('themes').select('id').where('name', '=', 'inside').execute()
      await trx.selectFrom('themes').select('id').where('name', '=', 'inside').execute()
    })
    expect((await prepared()).filter((p) => p.statement.includes('"themes"'))).toEqual([])
  })

  it('keeps answering a prepared select * after another instance adds a column to its table', async () => {
    await sql`create table prepared_probe (id int primary key)`.execute(db)
    await sql`insert into prepared_probe values (1)`.execute(db)
    const read = () => sql<Record<string, unknown>>`select * from prepared_probe`.execute(db)
    await read()
    await read()
    // Another instance migrates the database meanwhile, over a connection of its own (PGlite,
    // one connection, changes it in a transaction: the statements there are not prepared).
    const change = `alter table prepared_probe add column added text not null default 'new'`
    if (ENGINE === 'postgres') {
      const other = new pg.Client({ connectionString: handle.url! })
      await other.connect()
      await other.query(change)
      await other.end()
    } else {
      await db.transaction().execute((trx) => sql.raw(change).execute(trx))
    }
    // PostgreSQL refuses the old prepared statement ("cached plan must not change result type");
    // the read is sent again, prepared anew, and sees the new column.
    expect((await read()).rows).toEqual([{ id: 1, added: 'new' }])
    expect((await read()).rows).toEqual([{ id: 1, added: 'new' }])
  })

  it('prepares no text sent only once (a list of n values, a literal)', async () => {
    for (let n = 0; n < 50; n++) expect((await sql<{ n: number }>`select ${sql.lit(n)}::int as n`.execute(db)).rows).toEqual([{ n }])
    expect(await prepared()).toEqual([])
  })

  it(`keeps at most ${MAX_PREPARED} statements, closing the least recently used; the ones in use stay prepared`, async () => {
    const text = (n: number) => sql<{ n: number }>`select ${sql.lit(n)}::int as n`
    const twice = async (n: number) => {
      for (let i = 0; i < 2; i++) expect((await text(n).execute(db)).rows).toEqual([{ n }])
    }
    const inUse = () => db.selectFrom('themes').select('id').where('deleted_at', 'is', null).execute()
    await inUse()
    await inUse()
    for (let n = 0; n < MAX_PREPARED + 50; n++) {
      await twice(n)
      if (n % 20 === 0) await inUse()
    }
    const statements = (await prepared()).map((p) => p.statement)
    expect(statements).toHaveLength(MAX_PREPARED)
    expect(statements.filter((s) => s.includes('"themes"'))).toHaveLength(1)
    // The oldest were closed; the newest are there. Closed ones come back when used again.
    expect(statements).not.toContain('select 0::int as n')
    expect(statements).toContain(`select ${MAX_PREPARED + 49}::int as n`)
    await twice(0)
    expect((await prepared()).map((p) => p.statement)).toContain('select 0::int as n')
    expect(await prepared()).toHaveLength(MAX_PREPARED)
  })

  it('prepares nothing when turned off', async () => {
    const off =
      ENGINE === 'postgres'
        ? kyselyOverPostgres(handle.url!, () => {}, { max: 1, connectionTimeoutMillis: 10_000, preparedStatements: false }).db
        : kyselyOverPglite(await openPglite({}), { preparedStatements: false })
    try {
      await sql`select 1 as one`.execute(off)
      await sql`select 1 as one`.execute(off)
      expect((await sql`select 1 from pg_prepared_statements`.execute(off)).rows).toEqual([])
    } finally {
      await off.destroy()
    }
  })
})

describe.runIf(ENGINE === 'pglite')('statements prepared on a closed PGlite', () => {
  it('fail as an unprepared one does, with no crash of the engine', async () => {
    const pglite = await openPglite({})
    const db = kyselyOverPglite(pglite)
    await sql`select 1 as one`.execute(db)
    await pglite.close()
    await expect(sql`select 1 as one`.execute(db)).rejects.toThrow(/closed/i)
  })
})

/**
 * The app over one connection, on PostgreSQL too (PGlite has only one): what it prepared is what
 * pg_prepared_statements shows it. Closed with the test app.
 */
async function oneConnectionApp(run: (app: { request: TestApp['request'] }, one: Db, t: TestApp) => Promise<void>) {
  const t = await testApp()
  const one = t.engine === 'postgres' ? kyselyOverPostgres(t.url!, () => {}, { max: 1, connectionTimeoutMillis: 10_000 }).db : t.db
  const app = one === t.db ? t.app : createApp({ db: one, engine: t.engine, config: testConfig, log: pino({ level: 'silent' }) })
  try {
    await run({ request: (path, init) => app.request(path, init) }, one, t)
  } finally {
    if (one !== t.db) await one.destroy()
    await t.close()
  }
}

describe('a list filtered by a value', () => {
  it('is planned for its value every time; the same list unfiltered is prepared', () =>
    oneConnectionApp(async (app, one, t) => {
      const { headers } = await t.apiToken('admin')
      for (const path of ['/api/v1/contacts', '/api/v1/contacts?county=Gotlands%20l%C3%A4n', '/api/v1/contacts?tag=rare']) {
        for (let n = 0; n < 2; n++) expect((await app.request(path, { headers })).status).toBe(200)
      }
      const statements = (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(one)).rows.map((r) => r.statement)
      expect(statements.filter((s) => /from "contacts" where deleted_at is null/.test(s))).not.toEqual([])
      expect(statements.filter((s) => s.includes('county = any') || s.includes('tags &&'))).toEqual([])
    }))

  it('searched by name, is prepared once for every name from three characters on (its lookup is the same), and ranks as before', () =>
    oneConnectionApp(async (app, one, t) => {
      const { headers } = await t.apiToken('admin')
      const json = { ...headers, 'content-type': 'application/json' }
      for (const [first_name, last_name] of [['Åsa', 'Lindström'], ['Åsa', 'Lindströmer'], ['Lind', 'Åsberg'], ['Mats', 'Zetterholm']]) {
        expect((await app.request('/api/v1/contacts', { method: 'POST', headers: json, body: JSON.stringify({ first_name, last_name }) })).status).toBe(201)
      }
      const names = async (q: string) => ((await (await app.request(`/api/v1/contacts?q=${encodeURIComponent(q)}`, { headers })).json()).data as { last_name: string }[]).map((c) => c.last_name)
      for (let n = 0; n < 2; n++) {
        // The exact name first, then what starts with it, then the rest: as when each was planned for its value.
        expect(await names('lindstrom')).toEqual(['Lindström', 'Lindströmer'])
        expect(await names('lind')).toEqual(['Åsberg', 'Lindström', 'Lindströmer'])
        expect(await names('zetterholm')).toEqual(['Zetterholm'])
        // Under three characters there is no trigram to look up: planned for its pattern every time.
        expect(await names('Ås')).toEqual(['Lindström', 'Lindströmer'])
      }
      const searches = (await sql<{ statement: string; runs: number }>`
        select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements where statement like '%search_text%'`.execute(one)).rows
      // One text for every name: prepared the second time it came, then run for each name after.
      expect(searches.filter((s) => s.statement.includes('search_text" like $')).map((s) => s.runs)).toEqual([5])
      expect(searches.filter((s) => s.statement.includes(PLAN_EACH_TIME_MARK))).toEqual([])
    }))
})

describe('a list page once prepared', () => {
  it('runs on one plan: its row limit is in its text, not a parameter PostgreSQL plans for every time', () =>
    oneConnectionApp(async (app, one, t) => {
      const { headers } = await t.apiToken('admin')
      const json = { ...headers, 'content-type': 'application/json' }
      // A surname that fills a page (from FUZZY_FILL_BELOW rows on): that page is read from the names (src/web/list.ts).
      const firsts = Array.from({ length: 21 }, (_, i) => `Person${String(i).padStart(2, '0')}`)
      for (const first of firsts) {
        const res = await app.request('/api/v1/contacts', { method: 'POST', headers: json, body: JSON.stringify({ first_name: first, last_name: 'Planqvist' }) })
        expect(res.status).toBe(201)
      }
      for (let n = 0; n < 8; n++) {
        expect((await app.request('/api/v1/contacts?limit=20', { headers })).status).toBe(200)
        // A size the app does not use: a parameter, not one more text per size a client may ask for.
        if (n < 2) expect((await app.request('/api/v1/contacts?limit=37', { headers })).status).toBe(200)
        const named = await app.request('/api/v1/contacts?q=planqvist&limit=19', { headers })
        expect((await named.json()).data.map((c: { first_name: string }) => c.first_name)).toEqual(firsts.slice(0, 19))
      }
      const plans = (await sql<{ statement: string; generic: number; custom: number }>`
        select statement, generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements`.execute(one)).rows
      const of = (re: RegExp) => plans.filter((p) => re.test(p.statement)).map(({ generic, custom }) => ({ generic, custom }))
      // Prepared the second time it was sent, then run seven times: the page, which has no other
      // value, on one plan; the page read from the names planned for its values five times, then
      // on the plan kept.
      const page = (limit: string) => of(new RegExp(`select \\* from "contacts" where deleted_at is null and true order by sort_name asc, id asc limit ${limit} `))
      expect(page('21')).toEqual([{ generic: 7, custom: 0 }])
      expect(page('\\$1')).toEqual([{ generic: 0, custom: 1 }])
      expect(of(/ union .* as firsts/)).toEqual([{ generic: 2, custom: 5 }])
    }))
})
