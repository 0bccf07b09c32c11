import { Hono } from 'hono'
import { sql } from 'kysely'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from '../auth/roles.ts'
import { render } from '../web/render.ts'
import { isAuthority } from './lawful-basis.ts'
import { registerSettings } from './settings.repo.ts'

/**
 * `/privacy`: the privacy notice (GDPR art. 13–14), public and in both languages, generated from
 * what the admin set (purpose, controller, data protection officer) and the retention rules.
 */
export const privacyNotice = new Hono<AppEnv>().get('/', publicAccess, async (c) => {
  const db = c.get('db')
  const settings = await registerSettings(db)
  const { rows: rules } = await sql<{ kind: string; months: number; action: string; reference: string; title: string; decided_on: string }>`
    select r.kind, r.months, r.action, d.reference, d.title, d.decided_on::text from retention_rules r
    join retention_decisions d on d.id = r.decision_id where r.deleted_at is null and d.deleted_at is null order by r.kind, r.months`.execute(db)
  return render(c, 'privacy/notice', { title: c.get('t')('notice.title'), settings, rules, authority: isAuthority(c.get('deps').config) })
})
