import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { duplicatesPage } from './duplicates.routes.ts'
import { contactMergeApi, organisationMergeApi } from './merge.api.ts'
import * as messages from './merge.messages.ts'
import { contactMergePages, organisationMergePages } from './merge.routes.ts'

export const merge: Feature = {
  name: 'merge',
  routes: new Hono<AppEnv>()
    .route('/organisations', organisationMergePages)
    .route('/contacts', contactMergePages)
    .route('/duplicates', duplicatesPage),
  api: new Hono<AppEnv>().route('/organisations', organisationMergeApi).route('/contacts', contactMergeApi),
  messages,
}
