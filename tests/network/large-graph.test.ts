import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { assembleGraph } from '../../src/network/graph.service.ts'
import { testDb } from '../helpers/db.ts'

/**
 * Hundreds of thousands of links in one view: at a million contacts the whole register's view and
 * a theme's view answered 500 (RangeError: Maximum call stack size exceeded), because links were
 * added to a list by spreading them into one call. A conference with 600 organisations taking
 * part is 179 700 co-participation links.
 */
let h: DbHandle
const ORGS = 600

beforeAll(async () => {
  h = await testDb()
  await sql`insert into organisations (id, name, sort_name, kind)
    select md5('org' || i)::uuid, 'Organisation ' || i, 'organisation ' || lpad(i::text, 4, '0'), 'ngo' from generate_series(1, ${ORGS}) i`.execute(h.db)
  await sql`insert into activities (id, title, sort_name, type, status, start_date)
    values (md5('conference')::uuid, 'Nationell konferens', 'nationell konferens', 'conference', 'done', date '2025-05-20')`.execute(h.db)
  await sql`insert into activity_participants (activity_id, organisation_id, attendance)
    select md5('conference')::uuid, md5('org' || i)::uuid, 'attended' from generate_series(1, ${ORGS}) i`.execute(h.db)
}, 60_000)
afterAll(() => h.close())

describe('a view with hundreds of thousands of links', () => {
  it('is assembled', async () => {
    const graph = await assembleGraph(h.db, { at: '2025-06-01', types: ['organisation'] })
    expect(graph.nodes).toHaveLength(ORGS)
    expect(graph.edges).toHaveLength((ORGS * (ORGS - 1)) / 2)
  }, 60_000)
})
