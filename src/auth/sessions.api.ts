import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { publicAccess, requireRole } from './roles.ts'
import { authenticate, clientIp, LoginFailedError } from './auth.service.ts'
import { createSession, invalidateSession } from './sessions.ts'
import { assertLocalLoginAllowed } from '../sign-in/local-login.ts'
import { secondFactorStep, verifySecondFactor, WrongCodeError } from '../sign-in/second-factor.ts'
import { ForbiddenError, UnauthenticatedError } from '../web/errors.ts'
import { validate } from '../web/validate.ts'
import { apiDoc } from '../web/openapi.ts'

// `code`: the TOTP (or a recovery code) of an account with a second factor.
const credentials = z.strictObject({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024), code: z.string().trim().max(64).optional() })

export const sessionsApi = new Hono<AppEnv>()
  .post('/', publicAccess, apiDoc({ summary: 'Log in: a bearer token', status: 201, errors: [401, 429] }), validate('json', credentials), async (c) => {
    const { email, password, code } = c.req.valid('json')
    const db = c.get('db')
    const { signIn } = c.get('deps').config
    try {
      assertLocalLoginAllowed(signIn, email)
      const user = await authenticate(db, email, password, clientIp(c))
      assertLocalLoginAllowed(signIn, email, user.role)
      const step = secondFactorStep(signIn, user)
      // A role that needs a second factor sets it up in the browser (/account/mfa) first.
      if (step === 'enrol') throw new ForbiddenError()
      if (step === 'code') await verifySecondFactor(db, signIn, user.id, code ?? '', clientIp(c))
      const { token, expiresAt } = await createSession(db, user.id, 'api')
      return c.json(
        { token, expires_at: expiresAt.toISOString(), user: { id: user.id, email: user.email, name: user.name, role: user.role } },
        201,
      )
    } catch (err) {
      if (err instanceof LoginFailedError || err instanceof WrongCodeError) throw new UnauthenticatedError()
      throw err
    }
  })
  .delete('/current', requireRole('viewer'), apiDoc({ summary: 'Log out: end this token or session' }), async (c) => {
    await invalidateSession(c.get('db'), c.get('session')!.id)
    return c.body(null, 204)
  })
