import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { readInTurns } from '../db/turns.ts'
import { formatDate } from '../web/format.ts'
import { isMessageKey } from '../web/i18n.ts'
import { isPartial } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { allianceAttention } from '../alliances/memberships.repo.ts'
import { COMMITMENT_STATUSES } from '../alliances/alliances.schema.ts'
import { dashboardCharts } from '../reports/dashboard-charts.ts'
import { myFollowUps, recentChanges, UPCOMING_DAYS } from './dashboard.repo.ts'

export const dashboard = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => {
    const db = c.get('db')
    const t = c.get('t')
    const user = c.get('user')!
    const today = formatDate(new Date())
    const [followUps, recent, alliances, charts] = await Promise.all([
      myFollowUps(db, user.id, today), recentChanges(db), allianceAttention(db, today), dashboardCharts(db, today, t, c.get('lang'), { inTurns: readInTurns(c.get('deps').engine) }),
    ])
    const entityWord = (type: string) => {
      const key = `entity.${type}`
      return isMessageKey(key) ? t(key) : type
    }
    return render(c, 'dashboard/index', { title: t('dashboard.title'), followUps, recent, ...alliances, commitmentStatuses: COMMITMENT_STATUSES, charts, today, entityWord, upcomingDays: UPCOMING_DAYS })
  })
  // The charts once their figures are current: the dashboard asks for them when it showed the last ones.
  .get('/dashboard/charts', requireRole('viewer'), async (c) => {
    const t = c.get('t')
    const charts = await dashboardCharts(c.get('db'), formatDate(new Date()), t, c.get('lang'), { current: true, inTurns: readInTurns(c.get('deps').engine) })
    // Swapped in for the last figures (htmx): the section alone, saying so where the notice of the recount was.
    if (isPartial(c)) return render(c, 'reports/_dashboard', { charts, recounted: true })
    return render(c, 'dashboard/charts', { title: t('dashboard.title'), charts })
  })
