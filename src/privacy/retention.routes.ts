import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { createRecord } from '../db/write.ts'
import { isoDate } from '../register/fields.ts'
import { csvResponse } from '../web/csv.ts'
import { ValidationError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formValues, listOf, textOf } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { validate } from '../web/validate.ts'
import { erasureLogPath } from './erasure-log.ts'
import { findDecision, listDecisions } from './retention-decisions.ts'
import { cull, dueItems, liveRules } from './retention.service.ts'

const KINDS = ['contacts_not_engaged', 'interaction_notes', 'unconfirmed_subscriptions', 'import_uploads'] as const
const ruleInput = z.strictObject({
  kind: z.enum(KINDS),
  months: z.number().int().min(0).max(1200),
  action: z.enum(['review', 'restrict', 'anonymise', 'delete']).default('review'),
  automatic: z.boolean().default(false),
  decision_id: z.uuid(),
})

async function createRule(c: Context<AppEnv>, input: z.output<typeof ruleInput>) {
  if (!(await findDecision(c.get('db'), input.decision_id))) throw new ValidationError({ decision_id: c.get('t')('erase.unknown_decision') })
  return createRecord(c.get('db'), 'retention_rules', input, { userId: c.get('user')!.id })
}

async function cullingLog(c: Context<AppEnv>) {
  return c.get('db').selectFrom('culling_log').leftJoin('retention_decisions as d', 'd.id', 'culling_log.decision_id')
    .leftJoin('users', 'users.id', 'culling_log.user_id')
    .select(['culling_log.id', 'culling_log.at', 'culling_log.action', 'culling_log.entity_type', 'culling_log.count', 'culling_log.entity_ids',
      'culling_log.rule_id', 'd.reference as decision', 'users.name as user_name'])
    .orderBy('culling_log.at', 'desc').orderBy('culling_log.id', 'desc').limit(1000).execute()
}

/** `/api/v1/retention/rules|due|log` (admin). */
export const retentionApi = new Hono<AppEnv>()
  .get('/rules', requireRole('admin'), async (c) => c.json({ data: await liveRules(c.get('db')), next_cursor: null }))
  .post('/rules', requireRole('admin'), validate('json', ruleInput), async (c) => c.json(await createRule(c, c.req.valid('json')), 201))
  .get('/due', requireRole('admin'), async (c) => c.json({ data: await dueItems(c.get('db')), next_cursor: null }))
  .get('/log', requireRole('admin'), async (c) => c.json({ data: await cullingLog(c), next_cursor: null }))

/** `/admin/retention`: what is due, bulk keep / restrict / anonymise, rules, and the culling log for auditors. */
export const retentionPages = new Hono<AppEnv>()
  .get('/', requireRole('admin'), async (c) => {
    const db = c.get('db')
    const [rules, due, decisions, log] = await Promise.all([liveRules(db), dueItems(db), listDecisions(db), cullingLog(c)])
    return render(c, 'privacy/retention', { title: c.get('t')('retention.title'), rules, due, decisions, log: log.slice(0, 50), kinds: KINDS })
  })
  .post('/rules', requireRole('admin'), async (c) => {
    const f = await formValues(c)
    const parsed = ruleInput.safeParse({
      kind: textOf(f.kind), months: Number(textOf(f.months)), action: textOf(f.action) ?? 'review', automatic: textOf(f.automatic) === 'on', decision_id: textOf(f.decision_id),
    })
    if (!parsed.success) throw new ValidationError({ kind: c.get('t')('validation.invalid') })
    await createRule(c, parsed.data)
    setFlash(c, 'retention.rule_created')
    return redirectAfterWrite(c, '/admin/retention')
  })
  .post('/cull', requireRole('admin'), async (c) => {
    const f = await formValues(c)
    const t = c.get('t')
    const parsed = z.strictObject({
      rule_id: z.uuid(), action: z.enum(['keep', 'restrict', 'anonymise', 'delete']), ids: z.array(z.uuid()).min(1).max(1000),
      reason: z.string().trim().max(1000).optional(), review_on: isoDate.optional(),
    }).safeParse({ rule_id: textOf(f.rule_id), action: textOf(f.action), ids: listOf(f.ids), reason: textOf(f.reason) ?? undefined, review_on: textOf(f.review_on) ?? undefined })
    if (!parsed.success) throw new ValidationError({ ids: t('retention.choose') })
    const q = parsed.data
    if (q.action === 'keep' && (!q.reason || !q.review_on)) throw new ValidationError({ reason: t('retention.keep_needs') })
    const n = await cull(c.get('db'), q.rule_id, q.action, q.ids, { userId: c.get('user')!.id }, { erasureLog: erasureLogPath(c.get('deps').config), reason: q.reason, reviewOn: q.review_on })
    setFlash(c, n ? 'retention.done' : 'retention.nothing')
    return redirectAfterWrite(c, '/admin/retention')
  })
  .get('/log.csv', requireRole('admin'), async (c) => {
    const rows = await cullingLog(c)
    return csvResponse(c, 'gallringslogg.csv', ['at', 'user', 'decision', 'rule_id', 'entity_type', 'action', 'count', 'entity_ids'],
      rows.map((r) => [r.at, r.user_name ?? 'system', r.decision, r.rule_id, r.entity_type, r.action, r.count, r.entity_ids]))
  })
