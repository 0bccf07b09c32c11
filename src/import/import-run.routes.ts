import { Hono, type Context } from 'hono'
import { stream } from 'hono/streaming'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { csvResponse } from '../web/csv.ts'
import { toAppError } from '../web/error-handler.ts'
import { NotFoundError } from '../web/errors.ts'
import { formValues } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { idParam } from '../web/validate.ts'
import { decisionsFrom } from './import-preview.ts'
import { runImport } from './import-run.ts'
import { findReport, REPORT_DAYS } from './import.repo.ts'

const reportUrl = (id: string) => `/import/reports/${id}`

/** Why the import stopped, for the person who ran it; the details go to the log. */
function failure(c: Context<AppEnv>, err: unknown): { status: number; message: string } {
  const appErr = toAppError(err)
  if (appErr?.status === 404) throw err
  c.get('log')?.error({ err }, 'import rolled back')
  return { status: appErr?.status ?? 500, message: c.get('t')('import.rolled_back', { id: c.get('requestId') ?? '' }) }
}

export const importRun = new Hono<AppEnv>()
  // With `Accept: application/x-ndjson` (static/js/import.js) the answer streams the progress
  // as it goes — {"done","total"} lines, then {"report_url"} or {"error"} — so no instance has
  // to remember a running import. A plain form post waits and is sent on to the report.
  .post('/:id/run', requireRole('editor'), idParam, async (c) => {
    const decisions = decisionsFrom(await formValues(c))
    const user = c.get('user')!
    const run = (progress?: (done: number, total: number) => Promise<void>) =>
      runImport(c.get('db'), c.req.param('id'), decisions, { userId: user.id }, c.get('t'), progress)
    if (!c.req.header('accept')?.includes('application/x-ndjson')) {
      try {
        return redirectAfterWrite(c, reportUrl(await run()))
      } catch (err) {
        const { status, message } = failure(c, err)
        return render(c, 'import/failed', { title: c.get('t')('import.failed_title'), message, uploadId: c.req.param('id') }, status)
      }
    }
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8')
    c.header('Cache-Control', 'no-store')
    c.header('X-Accel-Buffering', 'no')
    return stream(c, async (s) => {
      // A progress line never holds up the transaction: a reader that went away loses lines, the import goes on.
      const line = (o: unknown) => s.write(`${JSON.stringify(o)}\n`).catch(() => {})
      try {
        // The embedded database answers without real I/O: give the event loop a turn so each line leaves now.
        const id = await run(async (done, total) => {
          void line({ done, total })
          await new Promise((resolve) => setImmediate(resolve))
        })
        await line({ report_url: reportUrl(id) })
      } catch (err) {
        const message = toAppError(err)?.status === 404 ? c.get('t')('error.not_found') : failure(c, err).message
        await line({ error: message })
      }
    })
  })
  .get('/reports/:id', requireRole('editor'), idParam, async (c) => {
    const report = await findReport(c.get('db'), c.req.param('id'), c.get('user')!.id)
    if (!report) throw new NotFoundError()
    return render(c, 'import/report', { title: c.get('t')('import.report_title'), report, shown: report.failed_rows.slice(0, 100), days: REPORT_DAYS })
  })
  .get('/reports/:id/failed.csv', requireRole('editor'), idParam, async (c) => {
    const report = await findReport(c.get('db'), c.req.param('id'), c.get('user')!.id)
    if (!report) throw new NotFoundError()
    const width = report.headers.length
    const rows = report.failed_rows.map((r) => [...Array.from({ length: width }, (_, i) => r.cells[i] ?? ''), r.error])
    return csvResponse(c, 'import-failed-rows.csv', [...report.headers, c.get('t')('import.error_column')], rows)
  })
