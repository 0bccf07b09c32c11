import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { consentSections, consentSectionRoutes } from './consent-sections.ts'
import { consentsApi } from './consents.api.ts'
import { erasureApi, erasurePages } from './erasure.routes.ts'
import { extractApi, extractPage } from './extract.routes.ts'
import * as messages from './privacy.messages.ts'
import { retentionDecisionsApi } from './retention-decisions.ts'
import { auditPages, historyPages } from './history.routes.ts'
import { privacyNotice } from './notice.routes.ts'
import { retentionApi, retentionPages } from './retention.routes.ts'
import { privacySettingsPages } from './settings.routes.ts'
import { processingRecordApi, processingRecordPage } from './processing-record.ts'
import { audienceMiddleware } from './visibility.ts'

export const privacy: Feature = {
  name: 'privacy',
  routes: new Hono<AppEnv>()
    .route('/', consentSectionRoutes)
    .route('/contacts', extractPage)
    .route('/contacts', erasurePages)
    // Public: the privacy notice (linked from every page's footer).
    .route('/privacy', privacyNotice)
    .route('/admin/privacy', processingRecordPage)
    .route('/admin/privacy', privacySettingsPages)
    .route('/admin/retention', retentionPages)
    .route('/admin/audit', auditPages)
    .route('/history', historyPages),
  api: new Hono<AppEnv>()
    .route('/contacts', consentsApi)
    .route('/contacts', extractApi)
    .route('/contacts', erasureApi)
    .route('/retention', retentionDecisionsApi)
    .route('/retention', retentionApi)
    .route('/privacy', processingRecordApi),
  messages,
  sections: consentSections,
  // Every request runs as its reader, so the repositories name only people the reader may see.
  middleware: [audienceMiddleware],
  nav: [
    { href: '/admin/privacy', key: 'nav.admin_privacy', role: 'admin', group: 'admin', order: 910 },
    { href: '/admin/retention', key: 'nav.admin_retention', role: 'admin', group: 'admin', order: 920 },
    { href: '/admin/audit', key: 'nav.admin_audit', role: 'admin', group: 'admin', order: 930 },
  ],
}
