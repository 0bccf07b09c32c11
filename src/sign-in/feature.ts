import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Feature } from '../web/plug-in.ts'
import { accountMfa } from './account-mfa.routes.ts'
import { adminMfaReset } from './admin-mfa.routes.ts'
import { mfaEnrolmentGate } from './mfa-gate.ts'
import { oidcRoutes } from './oidc.routes.ts'
import { SAML_ACS_PATH, samlRoutes } from './saml.routes.ts'
import { secondFactorLogin } from './second-factor.routes.ts'
import * as messages from './sign-in.messages.ts'

/** Sign-in through an identity provider (OIDC, SAML) and the second factor (the local log-in form is auth's). */
export const signIn: Feature = {
  name: 'sign-in',
  routes: new Hono<AppEnv>()
    .route('/auth/oidc', oidcRoutes)
    .route('/auth/saml', samlRoutes)
    .route('/', secondFactorLogin)
    .route('/account/mfa', accountMfa)
    .route('/admin/users', adminMfaReset),
  middleware: [mfaEnrolmentGate],
  // The SAML assertion consumer is posted to cross-site by the identity provider's page, by
  // design: it cannot pass an Origin check. It needs none: it changes nothing on the strength of
  // the browser's cookies, and is believed only for an assertion signed with the provider's key
  // (and for our audience and address, in date, never seen before — saml.client.ts).
  crossSitePosts: [SAML_ACS_PATH],
  messages,
}
