import { sql } from 'kysely'
import type { CommitmentStatus } from '../db/schema.ts'
import type { Executor } from '../db/write.ts'
import { commitmentState, daysBetween } from './commitments.ts'
import type { AllianceRecord } from './alliances.repo.ts'

/**
 * An alliance's health, 0–100, as a weighted mean of what can be measured. It is shown with
 * every component's value, score and weight: a number nobody can explain would not be trusted.
 *
 * - commitments kept (weight 50): done ÷ (done + dropped + open past their due date). Open
 *   commitments not yet due are not judged. Not counted while nothing has been decided.
 * - joint activities (weight 20): activities in the last 365 days in which members took part
 *   together, against a target of 2 a year. Activities are not recorded in Navet yet, so this
 *   input is optional; without it the component is left out, not scored zero.
 * - contact with the members (weight 30): days since the latest interaction logged with a
 *   member organisation or a member's contact person: 100 up to 30 days, 0 from 180 days or
 *   with no interaction at all, linear between. Not counted for an alliance without members.
 *
 * Components left out drop out of the weights too, so the score is always over what is known.
 */
export const WEIGHTS = { commitments: 50, activities: 20, contact: 30 } as const
export const ACTIVITY_TARGET = 2
export const ACTIVITY_WINDOW_DAYS = 365
export const CONTACT_FRESH_DAYS = 30
export const CONTACT_STALE_DAYS = 180

export interface HealthInput {
  today: string
  commitments: readonly { status: CommitmentStatus; due_date: string | null }[]
  memberCount: number
  /** The day of the latest interaction with a member, or null when there was none. */
  lastInteractionOn: string | null
  /** Joint activities in the last ACTIVITY_WINDOW_DAYS; undefined while activities are not recorded. */
  jointActivities?: number
}

export type ComponentKey = keyof typeof WEIGHTS

export interface HealthComponent {
  key: ComponentKey
  weight: number
  /** False when there is nothing to measure: the component is then out of the score. */
  counted: boolean
  /** 0–100, or null when not counted. */
  score: number | null
  /** This component's share of the total, in points (score × weight ÷ counted weight). */
  points: number | null
  detail: Record<string, number | string | null>
}

export interface Health {
  score: number | null
  level: 'good' | 'fair' | 'poor' | 'unknown'
  components: HealthComponent[]
  countedWeight: number
}

const round1 = (n: number) => Math.round(n * 10) / 10

function commitmentsComponent(input: HealthInput): Omit<HealthComponent, 'points'> {
  let done = 0
  let dropped = 0
  let overdue = 0
  for (const c of input.commitments) {
    const state = commitmentState(c, input.today)
    if (state === 'done') done++
    else if (state === 'dropped') dropped++
    else if (state === 'overdue') overdue++
  }
  const judged = done + dropped + overdue
  return {
    key: 'commitments',
    weight: WEIGHTS.commitments,
    counted: judged > 0,
    score: judged > 0 ? round1((100 * done) / judged) : null,
    detail: { done, dropped, overdue, judged },
  }
}

function activitiesComponent(input: HealthInput): Omit<HealthComponent, 'points'> {
  const count = input.jointActivities
  const counted = count !== undefined
  return {
    key: 'activities',
    weight: WEIGHTS.activities,
    counted,
    score: counted ? round1(100 * Math.min(1, count / ACTIVITY_TARGET)) : null,
    detail: { count: count ?? null, target: ACTIVITY_TARGET, window_days: ACTIVITY_WINDOW_DAYS },
  }
}

function contactComponent(input: HealthInput): Omit<HealthComponent, 'points'> {
  const counted = input.memberCount > 0
  const days = input.lastInteractionOn ? Math.max(0, daysBetween(input.lastInteractionOn, input.today)) : null
  let score: number | null = null
  if (counted) {
    if (days === null || days >= CONTACT_STALE_DAYS) score = 0
    else if (days <= CONTACT_FRESH_DAYS) score = 100
    else score = round1((100 * (CONTACT_STALE_DAYS - days)) / (CONTACT_STALE_DAYS - CONTACT_FRESH_DAYS))
  }
  return {
    key: 'contact',
    weight: WEIGHTS.contact,
    counted,
    score,
    detail: { last_on: input.lastInteractionOn, days, fresh_days: CONTACT_FRESH_DAYS, stale_days: CONTACT_STALE_DAYS },
  }
}

/** The health of an alliance from its inputs; pure, so every number on the page can be checked by hand. */
export function allianceHealth(input: HealthInput): Health {
  const parts = [commitmentsComponent(input), activitiesComponent(input), contactComponent(input)]
  const countedWeight = parts.reduce((sum, p) => sum + (p.counted ? p.weight : 0), 0)
  const components = parts.map((p) => ({
    ...p,
    points: p.counted && p.score !== null ? round1((p.score * p.weight) / countedWeight) : null,
  }))
  if (countedWeight === 0) return { score: null, level: 'unknown', components, countedWeight }
  const total = parts.reduce((sum, p) => sum + (p.counted && p.score !== null ? p.score * p.weight : 0), 0) / countedWeight
  const score = Math.round(total)
  return { score, level: score >= 70 ? 'good' : score >= 40 ? 'fair' : 'poor', components, countedWeight }
}

/**
 * The latest interaction (on or before `today`) with any member organisation or any member's
 * contact person, from the interactions log.
 */
export async function lastInteractionWithMembers(db: Executor, alliance: Pick<AllianceRecord, 'members'>, today: string): Promise<string | null> {
  const orgIds = [...new Set(alliance.members.map((m) => m.organisation_id))]
  const contactIds = [...new Set(alliance.members.flatMap((m) => (m.contact_id ? [m.contact_id] : [])))]
  if (orgIds.length === 0 && contactIds.length === 0) return null
  const row = await db
    .selectFrom('interactions')
    .innerJoin('interaction_links', 'interaction_links.interaction_id', 'interactions.id')
    .select(sql<string | null>`max(interactions.occurred_on)::text`.as('last'))
    .where('interactions.deleted_at', 'is', null)
    .where('interactions.occurred_on', '<=', today)
    .where((eb) =>
      eb.or([
        ...(orgIds.length ? [eb('interaction_links.organisation_id', 'in', orgIds)] : []),
        ...(contactIds.length ? [eb('interaction_links.contact_id', 'in', contactIds)] : []),
      ]),
    )
    .executeTakeFirst()
  return row?.last ?? null
}

/**
 * Done activities in the last ACTIVITY_WINDOW_DAYS (up to today) in which a member organisation
 * or a member's contact person took part: the work the alliance actually did together.
 */
export async function jointActivitiesOf(db: Executor, alliance: Pick<AllianceRecord, 'members'>, today: string): Promise<number> {
  const orgIds = [...new Set(alliance.members.map((m) => m.organisation_id))]
  const contactIds = [...new Set(alliance.members.flatMap((m) => (m.contact_id ? [m.contact_id] : [])))]
  if (orgIds.length === 0 && contactIds.length === 0) return 0
  const row = await db
    .selectFrom('activities')
    .innerJoin('activity_participants', 'activity_participants.activity_id', 'activities.id')
    .select(sql<number>`count(distinct activities.id)`.as('n'))
    .where('activities.deleted_at', 'is', null)
    .where('activities.status', '=', 'done')
    .where(sql<boolean>`activities.start_date <= ${today}::date`)
    .where(sql<boolean>`activities.start_date > ${today}::date - ${ACTIVITY_WINDOW_DAYS}::int`)
    .where((eb) =>
      eb.or([
        ...(orgIds.length ? [eb('activity_participants.organisation_id', 'in', orgIds)] : []),
        ...(contactIds.length ? [eb('activity_participants.contact_id', 'in', contactIds)] : []),
      ]),
    )
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Everything the health of one alliance is computed from, read from the database. */
export async function healthInput(db: Executor, alliance: AllianceRecord, today: string): Promise<HealthInput> {
  return {
    today,
    commitments: alliance.commitments,
    memberCount: alliance.members.length,
    lastInteractionOn: await lastInteractionWithMembers(db, alliance, today),
    jointActivities: await jointActivitiesOf(db, alliance, today),
  }
}
