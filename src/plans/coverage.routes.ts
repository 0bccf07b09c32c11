import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { requireRole } from '../auth/roles.ts'
import { isoDate } from '../register/fields.ts'
import { dropEmpty } from '../register/list-query.ts'
import { formatDate } from '../web/format.ts'
import { render } from '../web/render.ts'
import { parseOrThrow } from '../web/validate.ts'
import { coverageMatrix, networkCoverage } from './coverage.ts'

const coverageQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() })

/** The whole network's coverage: who is reached, by target group and county. */
export const coveragePage = new Hono<AppEnv>().get('/coverage', requireRole('viewer'), async (c) => {
  const query = parseOrThrow(c, coverageQuery, dropEmpty(c.req.query()))
  const counts = await networkCoverage(c.get('db'), formatDate(new Date()), query)
  const coverage = [coverageMatrix(counts, 'contact', { allRows: true }), coverageMatrix(counts, 'organisation', { allRows: true })]
  return render(c, 'plans/coverage', { title: c.get('t')('plan.coverage_title'), coverage, query })
})
