import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { isoDate } from '../register/fields.ts'
import { dropEmpty } from '../register/list-query.ts'
import { csvResponse } from '../web/csv.ts'
import { formatDate } from '../web/format.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { CSV_HEADER, periodReport, periodReportCsv } from './period-report.ts'

const periodQuery = z
  .strictObject({ from: isoDate.optional(), to: isoDate.optional(), format: z.enum(['html', 'csv']).optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'report.to_before_from' })

/** The period report ("delrapport"): printable HTML, or one CSV with a section column. */
export const periodReportPage = new Hono<AppEnv>().get('/period', requireRole('viewer'), async (c) => {
  const t = c.get('t')
  const query = parseOrThrow(c, periodQuery, dropEmpty(c.req.query()))
  const today = formatDate(new Date())
  // Without a period: this year so far.
  const period = { from: query.from ?? `${today.slice(0, 4)}-01-01`, to: query.to ?? today }
  const report = await periodReport(c.get('db'), period, t, c.get('lang'))
  if (query.format === 'csv') return csvResponse(c, `delrapport-${period.from}-${period.to}.csv`, CSV_HEADER, periodReportCsv(report, t))
  return render(c, 'reports/period', { title: t('report.title', period), report, period })
})
