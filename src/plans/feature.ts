import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { coveragePage } from './coverage.routes.ts'
import { planActions } from './plan-actions.routes.ts'
import { planTargetRow } from './plan-target-row.routes.ts'
import { plansApi } from './plans.api.ts'
import * as messages from './plans.messages.ts'
import { planPages } from './plans.routes.ts'

export const plans: Feature = {
  name: 'plans',
  routes: new Hono<AppEnv>()
    .route('/plans', coveragePage)
    .route('/plans', planTargetRow)
    .route('/plans', planActions)
    .route('/plans', planPages),
  api: new Hono<AppEnv>().route('/plans', plansApi),
  messages,
  nav: [{ href: '/plans', key: 'nav.plans', role: 'viewer', group: 'outreach', order: 120 }],
}
