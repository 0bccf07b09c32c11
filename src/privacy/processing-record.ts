import { Hono, type Context } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import type { Config } from '../config.ts'
import type { Executor } from '../db/write.ts'
import type { Translate } from '../web/i18n.ts'
import type { MessageKey } from '../web/i18n/catalogue.ts'
import { render } from '../web/render.ts'
import { isAuthority } from './lawful-basis.ts'
import { registerSettings } from './settings.repo.ts'

/** What the register holds about people, as the record names the categories of personal data. */
const DATA = ['identity', 'contact', 'role', 'links', 'notes', 'participation', 'mail', 'consent', 'forms', 'audit'] as const
/** The technical and organisational measures the application itself takes (art. 32). */
const MEASURES = ['roles', 'audit', 'protected', 'erasure', 'retention', 'logs', 'transport', 'backup'] as const

/**
 * The record of processing activities (registerförteckning, GDPR art. 30.1) for this register,
 * generated from what the admin has said (/admin/privacy), the retention rules and decisions in
 * force, and the register itself (how many people, by category and lawful basis) — so it is never
 * out of date. Figures only: it names nobody.
 */
export async function processingRecord(db: Executor, config: Config, t: Translate) {
  const live = sql`deleted_at is null and erased_at is null and merged_into_id is null`
  const [settings, byCategory, byBasis, totals, rules] = await Promise.all([
    registerSettings(db),
    sql<{ category: string; n: number }>`select category, count(*)::int as n from contacts, unnest(categories) as category where ${live} group by category order by category`.execute(db).then((r) => r.rows),
    sql<{ basis: string; n: number }>`select lawful_basis as basis, count(*)::int as n from contacts where ${live} group by lawful_basis order by lawful_basis`.execute(db).then((r) => r.rows),
    sql<{ people: number; protected_identity: number; restricted: number }>`select count(*)::int as people, count(*) filter (where protected_identity)::int as protected_identity,
      count(*) filter (where restricted)::int as restricted from contacts where ${live}`.execute(db).then((r) => r.rows[0]!),
    sql<{ kind: string; months: number; action: string; automatic: boolean; reference: string; title: string; decided_on: string }>`
      select r.kind, r.months, r.action, r.automatic, d.reference, d.title, d.decided_on::text as decided_on
      from retention_rules r join retention_decisions d on d.id = r.decision_id
      where r.deleted_at is null and d.deleted_at is null order by r.kind, r.months`.execute(db).then((r) => r.rows),
  ])
  return {
    controller: settings.controller,
    controller_kind: isAuthority(config) ? 'authority' : 'other',
    dpo_contact: settings.dpo_contact,
    purpose: settings.purpose ?? t('privacy.default_purpose'),
    lawful_bases: byBasis.map((b) => ({ basis: b.basis, label: t(`privacy.basis.${b.basis}` as MessageKey), people: b.n })),
    data_subjects: {
      ...totals,
      by_category: byCategory.map((c) => ({ category: c.category, label: t(`category.${c.category}` as MessageKey), people: c.n })),
    },
    personal_data: DATA.map((d) => t(`record.data.${d}` as MessageKey)),
    special_categories: t('record.special'),
    recipients: settings.recipients ?? t('privacy.default_recipients'),
    third_countries: t('record.third_countries'),
    source: settings.source ?? t('privacy.default_source'),
    retention: rules.length
      ? rules.map((r) => ({ kind: r.kind, label: t(`retention.kind.${r.kind}` as MessageKey), months: r.months, action: r.action, automatic: r.automatic, decision: `${r.reference} ${r.title} (${r.decided_on})` }))
      : [],
    retention_none: rules.length ? null : t('privacy.no_retention_rules'),
    security: MEASURES.map((m) => t(`record.security.${m}` as MessageKey)),
    generated_at: new Date().toISOString(),
  }
}

const recordOf = (c: Context<AppEnv>) => processingRecord(c.get('db'), c.get('deps').config, c.get('t'))

/** `GET /api/v1/privacy/record`: the record of processing activities as JSON (admin). */
export const processingRecordApi = new Hono<AppEnv>().get('/record', requireRole('admin'), async (c) => c.json(await recordOf(c)))

/** `/admin/privacy/record`: the same, as a page that prints well. */
export const processingRecordPage = new Hono<AppEnv>().get('/record', requireRole('admin'), async (c) =>
  render(c, 'privacy/record', { title: c.get('t')('record.title'), record: await recordOf(c) }))
