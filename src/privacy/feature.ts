import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { consentsApi } from './consents.api.ts'
import { erasureApi, erasurePages } from './erasure.routes.ts'
import { extractApi, extractPage } from './extract.routes.ts'
import * as messages from './privacy.messages.ts'
import { retentionDecisionsApi } from './retention-decisions.ts'

export const privacy: Feature = {
  name: 'privacy',
  routes: new Hono<AppEnv>().route('/contacts', extractPage).route('/contacts', erasurePages),
  api: new Hono<AppEnv>()
    .route('/contacts', consentsApi)
    .route('/contacts', extractApi)
    .route('/contacts', erasureApi)
    .route('/retention', retentionDecisionsApi),
  messages,
}
