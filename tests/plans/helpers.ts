import { expect } from 'vitest'
import type { Attendance, Database } from '../../src/db/schema.ts'
import type { Kysely } from 'kysely'
import { jsonRequest, type TestApp } from '../helpers/app.ts'

type Who = { headers: Record<string, string> }

export interface ParticipantSpec {
  contact_id?: string
  organisation_id?: string
  attendance?: Attendance
  role?: 'organiser' | 'speaker' | 'participant' | 'recipient'
}

export interface ActivitySpec {
  title?: string
  type?: Database['activities']['type']
  status?: 'planned' | 'done' | 'cancelled'
  start_date?: string | null
  end_date?: string | null
  level?: 'horizontal' | 'vertical' | null
  theme_ids?: string[]
  product_ids?: string[]
  deleted?: boolean
  influence_result?: 'adopted' | 'partly' | 'not' | 'unknown' | null
  influence_result_date?: string | null
  participants?: ParticipantSpec[]
}

let n = 0

/**
 * An activity with its participants, written straight into the tables: these tests are about
 * what plans and reports compute from recorded activities, not about recording them.
 */
export async function insertActivity(db: Kysely<Database>, spec: ActivitySpec): Promise<string> {
  const title = spec.title ?? `Aktivitet ${++n}`
  const row = await db
    .insertInto('activities')
    .values({
      title,
      sort_name: title.toLowerCase(),
      type: spec.type ?? 'seminar',
      status: spec.status ?? 'done',
      start_date: spec.start_date === undefined ? '2026-03-10' : spec.start_date,
      end_date: spec.end_date ?? null,
      level: spec.level ?? 'horizontal',
      theme_ids: spec.theme_ids ?? [],
      product_ids: spec.product_ids ?? [],
      influence_result: spec.influence_result ?? null,
      influence_result_date: spec.influence_result_date ?? null,
      deleted_at: spec.deleted ? new Date() : null,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow()
  if (spec.participants?.length) {
    await db
      .insertInto('activity_participants')
      .values(spec.participants.map((p) => ({
        activity_id: row.id,
        contact_id: p.contact_id ?? null,
        organisation_id: p.organisation_id ?? null,
        attendance: p.attendance ?? 'attended',
        role: p.role ?? 'participant',
      })))
      .execute()
  }
  return row.id
}

/** JSON API helpers for one test app and one signed-in API user. */
export function apiOf(t: TestApp, who: Who) {
  const api = (method: string, path: string, body?: unknown) => t.request(path, jsonRequest(method, body, who.headers))
  const create = async (path: string, body: Record<string, unknown>) => {
    const res = await api('POST', path, body)
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
    return res.json() as Promise<{ id: string; version: number } & Record<string, unknown>>
  }
  return {
    api,
    create,
    organisation: (name: string, kind = 'authority', extra: Record<string, unknown> = {}) => create('/api/v1/organisations', { name, kind, ...extra }),
    contact: (first_name: string, last_name: string, extra: Record<string, unknown> = {}) => create('/api/v1/contacts', { first_name, last_name, ...extra }),
    theme: (name: string) => create('/api/v1/themes', { name }),
    plan: (body: Record<string, unknown>) => create('/api/v1/plans', body),
    progress: async (planId: string) => {
      const res = await api('GET', `/api/v1/plans/${planId}/progress`)
      expect(res.status).toBe(200)
      return res.json() as Promise<{
        target_count: number
        reached_count: number
        reached: { type: string; id: string; label: string; via_activity_ids: string[] }[]
        not_reached: { type: string; id: string; label: string }[]
      }>
    },
    get: async (path: string) => (await api('GET', path)).json(),
  }
}

/** A product row, straight into the table (the products feature is someone else's). */
export async function insertProduct(db: Kysely<Database>, title: string): Promise<string> {
  const row = await db.insertInto('products').values({ title, sort_name: title.toLowerCase(), kind: 'method' } as never).returning('id').executeTakeFirstOrThrow()
  return row.id
}
