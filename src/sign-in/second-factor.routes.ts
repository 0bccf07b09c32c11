import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { clientIp, rotateSession } from '../auth/auth.service.ts'
import { publicAccess } from '../auth/roles.ts'
import { setSessionCookie } from '../auth/session-cookie.ts'
import { findUser } from '../users/users.repo.ts'
import { RateLimitedError } from '../web/errors.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite, safeNext } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { findLoginRequest } from './login-requests.ts'
import { verifySecondFactor, WrongCodeError } from './second-factor.ts'
import { redirectTo } from '../web/redirect.ts'

function codePage(c: Context<AppEnv>, error?: string, status: 200 | 401 | 429 = 200) {
  c.header('Cache-Control', 'no-store')
  return render(c, 'sign-in/code', { title: c.get('t')('mfa.code_title'), error }, status)
}

/** The second step of a password sign-in: the code from the app (or a recovery code). */
export const secondFactorLogin = new Hono<AppEnv>()
  .get('/login/code', publicAccess, async (c) => {
    if (!(await findLoginRequest(c, 'mfa', false))) return redirectTo(c, '/login')
    return codePage(c)
  })
  .post('/login/code', publicAccess, async (c) => {
    const t = c.get('t')
    const pending = await findLoginRequest(c, 'mfa', false)
    if (!pending?.userId) return redirectAfterWrite(c, '/login')
    const code = ((await formFields(c)).code ?? '').slice(0, 64)
    const db = c.get('db')
    try {
      await verifySecondFactor(db, c.get('deps').config.signIn, pending.userId, code, clientIp(c))
    } catch (err) {
      if (err instanceof WrongCodeError) return codePage(c, t('mfa.wrong_code'), 401)
      if (err instanceof RateLimitedError) {
        c.header('Retry-After', String(err.retryAfterSeconds))
        return codePage(c, t('login.rate_limited', { minutes: Math.ceil(err.retryAfterSeconds / 60) }), 429)
      }
      throw err
    }
    await findLoginRequest(c, 'mfa', true)
    const user = await findUser(db, pending.userId)
    if (!user?.active) return redirectAfterWrite(c, '/login')
    const { token, expiresAt } = await rotateSession(c, user.id, 'browser')
    setSessionCookie(c, token, expiresAt)
    return redirectAfterWrite(c, safeNext(typeof pending.data.next === 'string' ? pending.data.next : undefined))
  })
