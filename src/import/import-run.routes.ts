import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { csvResponse } from '../web/csv.ts'
import { NotFoundError } from '../web/errors.ts'
import { formValues } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { decisionsFrom } from './import-preview.ts'
import { startImport } from './import-run.ts'
import { undoImport } from './import-undo.ts'
import { findReport, keptLabels, REPORT_DAYS } from './import.repo.ts'

const reportUrl = (id: string) => `/import/reports/${id}`
const ACTIVE = new Set(['running', 'undoing'])

async function ownReport(c: Context<AppEnv>) {
  const report = await findReport(c.get('db'), c.req.param('id')!, c.get('user')!.id)
  if (!report) throw new NotFoundError()
  return report
}

export const importRun = new Hono<AppEnv>()
  // The import goes on in the background, batch by batch; the report page shows its progress
  // (htmx polls it) and then its outcome. A second submit of the same upload lands on the same report.
  .post('/:id{[0-9a-fA-F-]{36}}/run', requireRole('editor'), idParam, async (c) => {
    const decisions = decisionsFrom(await formValues(c))
    const job = await startImport(c.get('db'), c.req.param('id'), decisions, { userId: c.get('user')!.id }, c.get('t'), c.get('log'), c.get('deps').engine)
    return redirectAfterWrite(c, reportUrl(job.reportId))
  })
  .get('/reports/:id{[0-9a-fA-F-]{36}}', requireRole('editor'), idParam, async (c) => {
    const report = await ownReport(c)
    const kept = await keptLabels(c.get('db'), report.kept.slice(0, 200))
    return render(c, 'import/report', { title: c.get('t')(`import.report_title_${report.status}`), report, kept, active: ACTIVE.has(report.status), shown: report.failed_rows.slice(0, 100), days: REPORT_DAYS })
  })
  .get('/reports/:id{[0-9a-fA-F-]{36}}/progress', requireRole('editor'), idParam, async (c) => {
    const report = await ownReport(c)
    c.header('Cache-Control', 'no-store')
    // Finished: the whole page again, with the outcome.
    if (!ACTIVE.has(report.status)) c.header('HX-Refresh', 'true')
    return render(c, 'import/_progress', { report, active: ACTIVE.has(report.status) })
  })
  .post('/reports/:id{[0-9a-fA-F-]{36}}/undo', requireRole('editor'), idParam, async (c) => {
    await undoImport(c.get('db'), c.req.param('id'), { userId: c.get('user')!.id }, c.get('log'), c.get('deps').engine)
    return redirectAfterWrite(c, reportUrl(c.req.param('id')))
  })
  .get('/reports/:id{[0-9a-fA-F-]{36}}/failed.csv', requireRole('editor'), idParam, async (c) => {
    const report = await ownReport(c)
    const width = report.headers.length
    const rows = report.failed_rows.map((r) => [...Array.from({ length: width }, (_, i) => r.cells[i] ?? ''), r.error])
    return csvResponse(c, 'import-failed-rows.csv', [...report.headers, c.get('t')('import.error_column')], rows)
  })
