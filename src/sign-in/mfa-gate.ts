import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { ForbiddenError } from '../web/errors.ts'
import { isApi, redirectAfterWrite } from '../web/htmx.ts'
import { mfaRequired } from './second-factor.ts'

export const ENROL_PATH = '/account/mfa'

/**
 * REQUIRE_MFA_FOR: a password session of someone whose role needs a second factor, and who has
 * none yet, reaches only the enrolment page (and log-out) until it is set up. Sessions from an
 * identity provider are left alone: the provider enforces its own multi-factor policy.
 */
export const mfaEnrolmentGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.get('session')
  const user = c.get('user')
  if (!session || !user || session.provider || user.mfaEnabled) return next()
  if (!mfaRequired(c.get('deps').config.signIn, user.role)) return next()
  const path = c.req.path
  if (path === ENROL_PATH || path.startsWith(`${ENROL_PATH}/`) || path === '/logout') return next()
  if (isApi(c)) throw new ForbiddenError()
  return redirectAfterWrite(c, ENROL_PATH)
}
