import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { interactionActions } from './interaction-actions.routes.ts'
import { interactionPicker } from './interaction-picker.routes.ts'
import { interactionTimeline } from './interaction-timeline.ts'
import { interactionsApi } from './interactions.api.ts'
import * as messages from './interactions.messages.ts'
import { interactionPages } from './interactions.routes.ts'

export const interactions: Feature = {
  name: 'interactions',
  routes: new Hono<AppEnv>()
    .route('/interactions', interactionPicker)
    .route('/interactions', interactionActions)
    .route('/interactions', interactionPages),
  api: new Hono<AppEnv>().route('/interactions', interactionsApi),
  messages,
  timelines: [interactionTimeline],
}
