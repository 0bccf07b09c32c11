import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { AppDeps, AppEnv } from './app-env.ts'
import { account } from './account/account.routes.ts'
import { adminUserPassword } from './admin/user-password.routes.ts'
import { adminUsers } from './admin/users.routes.ts'
import { auditApi } from './audit/audit.api.ts'
import { csrfProtection } from './auth/csrf.ts'
import { login } from './auth/login.routes.ts'
import { oidcRoutes } from './sign-in/oidc.routes.ts'
import { SAML_ACS_PATH, samlRoutes } from './sign-in/saml.routes.ts'
import { mfaEnrolmentGate } from './sign-in/mfa-gate.ts'
import { secondFactorLogin } from './sign-in/second-factor.routes.ts'
import { accountMfa } from './sign-in/account-mfa.routes.ts'
import { contactsApi } from './contacts/contacts.api.ts'
import { consentsApi } from './privacy/consents.api.ts'
import { extractApi, extractPage } from './privacy/extract.routes.ts'
import { erasureApi, erasurePages } from './privacy/erasure.routes.ts'
import { retentionDecisionsApi } from './privacy/retention-decisions.ts'
import { contactsBulk } from './contacts/contacts-bulk.routes.ts'
import { contactDeletion } from './contacts/contact-deletion.routes.ts'
import { contactPages } from './contacts/contacts.routes.ts'
import { organisationsApi } from './organisations/organisations.api.ts'
import { organisationsBulk } from './organisations/organisations-bulk.routes.ts'
import { organisationDeletion } from './organisations/organisation-deletion.routes.ts'
import { organisationPages } from './organisations/organisations.routes.ts'
import { themesApi } from './themes/themes.api.ts'
import { themeDeletion } from './themes/theme-deletion.routes.ts'
import { themePages } from './themes/themes.routes.ts'
import { alliancesApi } from './alliances/alliances.api.ts'
import { allianceBoard } from './alliances/alliance-board.routes.ts'
import { allianceDeletion } from './alliances/alliance-deletion.routes.ts'
import { alliancePages } from './alliances/alliances.routes.ts'
import { activitiesApi } from './activities/activities.api.ts'
import { activityDeletion } from './activities/activity-deletion.routes.ts'
import { activityPages } from './activities/activities.routes.ts'
import { calendarFeed, calendarPages } from './activities/calendar.routes.ts'
import { participantPages } from './activities/participants.routes.ts'
import { bodiesApi } from './bodies/bodies.api.ts'
import { bodyDeletion } from './bodies/body-deletion.routes.ts'
import { bodyPages } from './bodies/bodies.routes.ts'
import { projectsApi } from './projects/projects.api.ts'
import { projectDeletion } from './projects/project-deletion.routes.ts'
import { projectPages } from './projects/projects.routes.ts'
import { productsApi } from './products/products.api.ts'
import { productDeletion } from './products/product-deletion.routes.ts'
import { productPages } from './products/products.routes.ts'
import { ideaPages } from './ideas/ideas.routes.ts'
import { accessibilityPage } from './accessibility/accessibility.routes.ts'
import { relationshipsApi } from './relationships/relationships.api.ts'
import { relationshipPages } from './relationships/relationships.routes.ts'
import { interactionsApi } from './interactions/interactions.api.ts'
import { interactionActions } from './interactions/interaction-actions.routes.ts'
import { interactionPicker } from './interactions/interaction-picker.routes.ts'
import { interactionPages } from './interactions/interactions.routes.ts'
import { importRun } from './import/import-run.routes.ts'
import { importPages, isUpload as isImportUpload } from './import/import.routes.ts'
import { contactMergeApi, organisationMergeApi } from './merge/merge.api.ts'
import { contactMergePages, organisationMergePages } from './merge/merge.routes.ts'
import { duplicatesPage } from './merge/duplicates.routes.ts'
import { undeclaredRoutes } from './auth/roles.ts'
import { loadSession } from './auth/session-cookie.ts'
import { sessionsApi } from './auth/sessions.api.ts'
import { searchApi } from './search/search.api.ts'
import { searchPages } from './search/search.routes.ts'
import { stakeholderMap } from './stakeholder-map/stakeholder-map.routes.ts'
import { dashboard } from './dashboard/dashboard.routes.ts'
import { health } from './health/health.routes.ts'
import { setup } from './setup/setup.routes.ts'
import { usersApi } from './users/users.api.ts'
import { plansApi } from './plans/plans.api.ts'
import { networkApi } from './network/network.api.ts'
import { networkPage } from './network-page/network-page.routes.ts'
import { networkCard } from './network/network.routes.ts'
import { planActions } from './plans/plan-actions.routes.ts'
import { planTargetRow } from './plans/plan-target-row.routes.ts'
import { planPages } from './plans/plans.routes.ts'
import { coveragePage } from './plans/coverage.routes.ts'
import { periodReportPage } from './reports/period-report.routes.ts'
import { handleError } from './web/error-handler.ts'
import { NotFoundError, PayloadTooLargeError } from './web/errors.ts'
import { language } from './web/i18n.ts'
import { requestLog } from './web/request-log.ts'
import { staticFiles } from './web/static.ts'

const MAX_BODY_BYTES = 1024 * 1024

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.use(async (c, next) => {
    c.set('deps', deps)
    c.set('db', deps.db)
    c.set('user', null)
    c.set('session', null)
    await next()
  })
  app.use(requestId({ generator: () => crypto.randomUUID() }))
  app.use(requestLog)
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
    }),
  )
  app.use(language)
  app.route('/static', staticFiles())
  app.route('/', health)

  // The CSV upload has its own, larger limit (on its route); every other request this one.
  const globalBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw new PayloadTooLargeError() } })
  app.use((c, next) => (isImportUpload(c.req.method, c.req.path) ? next() : globalBodyLimit(c, next)))
  // The SAML assertion consumer is posted to cross-site by the identity provider's page, by
  // design: it cannot pass an Origin check. It needs none: it changes nothing on the strength of
  // the browser's cookies, and is believed only for an assertion signed with the provider's key
  // (and for our audience and address, in date, never seen before — saml.client.ts).
  app.use(csrfProtection(deps.config.trustProxy, [SAML_ACS_PATH]))
  app.use(loadSession)
  app.use(mfaEnrolmentGate)

  app.route('/', login)
  app.route('/auth/oidc', oidcRoutes)
  app.route('/auth/saml', samlRoutes)
  app.route('/', secondFactorLogin)
  app.route('/', setup)
  app.route('/', dashboard)
  app.route('/account/mfa', accountMfa)
  app.route('/account', account)
  // Fixed paths (/bulk, /export) before /:id.
  app.route('/organisations', organisationMergePages)
  app.route('/organisations', organisationsBulk)
  app.route('/organisations', organisationDeletion)
  app.route('/organisations', organisationPages)
  app.route('/contacts', contactMergePages)
  app.route('/contacts', contactsBulk)
  app.route('/contacts', contactDeletion)
  app.route('/contacts', extractPage)
  app.route('/contacts', erasurePages)
  app.route('/contacts', contactPages)
  app.route('/themes', themeDeletion)
  app.route('/themes', themePages)
  app.route('/alliances', allianceBoard)
  app.route('/alliances', allianceDeletion)
  app.route('/alliances', alliancePages)
  app.route('/bodies', bodyDeletion)
  app.route('/bodies', bodyPages)
  app.route('/activities', calendarPages)
  app.route('/activities', participantPages)
  app.route('/activities', activityDeletion)
  app.route('/activities', activityPages)
  app.route('/calendar', calendarFeed)
  app.route('/plans', coveragePage)
  app.route('/plans', planTargetRow)
  app.route('/plans', planActions)
  app.route('/plans', planPages)
  app.route('/reports', periodReportPage)
  app.route('/projects', projectDeletion)
  app.route('/projects', projectPages)
  app.route('/products', productDeletion)
  app.route('/products', productPages)
  // Public: the idea bank needs no login (and shows only published products).
  app.route('/ideas', ideaPages)
  app.route('/accessibility', accessibilityPage)
  app.route('/relationships', relationshipPages)
  app.route('/interactions', interactionPicker)
  app.route('/interactions', interactionActions)
  app.route('/interactions', interactionPages)
  app.route('/search', searchPages)
  app.route('/stakeholder-map', stakeholderMap)
  app.route('/network', networkCard)
  app.route('/network', networkPage)
  app.route('/import', importRun)
  app.route('/import', importPages)
  app.route('/duplicates', duplicatesPage)
  app.route('/admin/users', adminUsers)
  app.route('/admin/users', adminUserPassword)
  app.route('/api/v1/sessions', sessionsApi)
  app.route('/api/v1/users', usersApi)
  app.route('/api/v1/audit', auditApi)
  app.route('/api/v1/search', searchApi)
  app.route('/api/v1/organisations', organisationMergeApi)
  app.route('/api/v1/organisations', organisationsApi)
  app.route('/api/v1/themes', themesApi)
  app.route('/api/v1/alliances', alliancesApi)
  app.route('/api/v1/bodies', bodiesApi)
  app.route('/api/v1/projects', projectsApi)
  app.route('/api/v1/products', productsApi)
  app.route('/api/v1/activities', activitiesApi)
  app.route('/api/v1/organisation-relationships', relationshipsApi)
  app.route('/api/v1/interactions', interactionsApi)
  app.route('/api/v1/contacts', contactMergeApi)
  app.route('/api/v1/contacts', consentsApi)
  app.route('/api/v1/contacts', extractApi)
  app.route('/api/v1/contacts', erasureApi)
  app.route('/api/v1/retention', retentionDecisionsApi)
  app.route('/api/v1/contacts', contactsApi)
  app.route('/api/v1/plans', plansApi)
  app.route('/api/v1/network', networkApi)

  app.notFound((c) => handleError(new NotFoundError(), c))
  app.onError(handleError)

  // Deny by default: a route that does not say who may use it stops the app from starting.
  const undeclared = undeclaredRoutes(app.routes)
  if (undeclared.length > 0) throw new Error(`Routes without an access declaration: ${undeclared.join(', ')}`)
  return app
}
