import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DbHandle } from '../../src/db/connect.ts'
import { testDb } from '../helpers/db.ts'

/**
 * The columns a page or a person's request reads one record's rows by: each leads an index, or
 * the read scans the whole table — at a million contacts an organisation's page spent 104 ms
 * scanning 300 000 activities for the few that sought to influence it (bench/README.md). A test
 * database is too small for the planner to show it, so this asks the catalogue instead.
 */
const READ_BY: [table: string, column: string, by: string][] = [
  ['activities', 'influence_organisation_id', "an organisation's page: activities that sought to influence it"],
  ['activities', 'influence_body_id', "a body's page: activities that sought to influence it"],
  ['event_registrations', 'contact_id', 'register extract, erasure, retention sweep'],
  ['event_invitations', 'contact_id', 'register extract'],
  ['newsletter_deliveries', 'contact_id', 'register extract'],
  ['mail_tokens', 'contact_id', 'retention: unused confirmation links of a subscriber'],
  ['affiliations', 'contact_id', "a person's page, lists"],
  ['affiliations', 'organisation_id', "an organisation's page, the ego network"],
  ['activity_participants', 'contact_id', "a person's page, the ego network"],
  ['activity_participants', 'organisation_id', "an organisation's page, the ego network"],
  ['activity_participants', 'activity_id', "an activity's page"],
  ['alliance_members', 'organisation_id', "an organisation's page, the ego network"],
  ['body_seats', 'contact_id', "a person's page"],
  ['body_seats', 'organisation_id', "an organisation's page"],
]

let h: DbHandle
beforeAll(async () => {
  h = await testDb()
})
afterAll(() => h.close())

describe('reads of one record’s rows', () => {
  it.each(READ_BY)('%s.%s leads an index (%s)', async (table, column) => {
    const { rows } = await sql<{ index: string }>`
      select i.indexrelid::regclass::text as index
      from pg_index i
      join pg_class t on t.oid = i.indrelid
      join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
      where t.relname = ${table} and a.attname = ${column} and i.indpred is null`.execute(h.db)
    expect(rows.map((r) => r.index)).not.toEqual([])
  })
})
