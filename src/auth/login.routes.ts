import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../app-env.ts'
import { publicAccess } from './roles.ts'
import { authenticate, clientIp, LoginFailedError, rotateSession } from './auth.service.ts'
import { invalidateSession } from './sessions.ts'
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts'
import { assertLocalLoginAllowed, LocalLoginOffError, loginOptions } from '../sign-in/local-login.ts'
import { startLoginRequest } from '../sign-in/login-requests.ts'
import { secondFactorStep } from '../sign-in/second-factor.ts'
import { providerLogoutUrl } from '../sign-in/provider-logout.ts'
import { countUsers } from '../users/users.repo.ts'
import { RateLimitedError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite, safeNext } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { redirectTo } from '../web/redirect.ts'

const loginForm = z.object({ email: z.string().trim().max(254), password: z.string().max(1024), next: z.string().max(2000).optional() })

function loginPage(c: Context<AppEnv>, fields: { email: string; next: string; error?: string }, status: 200 | 401 | 403 | 429 = 200) {
  return render(c, 'auth/login', { title: c.get('t')('login.title'), ...fields, ...loginOptions(c, fields.next) }, status)
}

export const login = new Hono<AppEnv>()
  .get('/login', publicAccess, async (c) => {
    if (c.get('user')) return redirectTo(c, safeNext(c.req.query('next')))
    if ((await countUsers(c.get('db'))) === 0) return redirectTo(c, '/setup')
    return loginPage(c, { email: '', next: safeNext(c.req.query('next')) })
  })
  .post('/login', publicAccess, async (c) => {
    const t = c.get('t')
    const form = loginForm.safeParse(await formFields(c))
    const input = form.success ? form.data : { email: '', password: '', next: '/' }
    const next = safeNext(input.next)
    const { signIn } = c.get('deps').config
    try {
      assertLocalLoginAllowed(signIn, input.email)
      const user = await authenticate(c.get('db'), input.email, input.password, clientIp(c))
      assertLocalLoginAllowed(signIn, input.email, user.role)
      // The password was right; with a second factor the session waits for the code. A role
      // that needs one the person has not set up signs in and is held at enrolment (mfa-gate.ts).
      if (secondFactorStep(signIn, user) === 'code') {
        await startLoginRequest(c, 'mfa', { next }, user.id)
        return redirectAfterWrite(c, '/login/code')
      }
      const { token, expiresAt } = await rotateSession(c, user.id, 'browser')
      setSessionCookie(c, token, expiresAt)
      return redirectAfterWrite(c, next)
    } catch (err) {
      if (err instanceof RateLimitedError) {
        c.header('Retry-After', String(err.retryAfterSeconds))
        const minutes = Math.ceil(err.retryAfterSeconds / 60)
        return loginPage(c, { email: input.email, next, error: t('login.rate_limited', { minutes }) }, 429)
      }
      if (err instanceof LoginFailedError) return loginPage(c, { email: input.email, next, error: t('login.failed') }, 401)
      if (err instanceof LocalLoginOffError) {
        const name = signIn.oidc?.name ?? signIn.saml?.name
        return loginPage(c, { email: input.email, next, error: name ? t('signin.local_off', { name }) : t('signin.local_off_plain') }, 403)
      }
      throw err
    }
  })
  .post('/logout', publicAccess, async (c) => {
    const session = c.get('session')
    if (session) await invalidateSession(c.get('db'), session.id)
    clearSessionCookie(c)
    setFlash(c, 'login.logged_out')
    // Signed in through the provider: end the provider's session too (RP-initiated logout).
    const away = session?.provider ? await providerLogoutUrl(c, session.provider) : undefined
    return redirectAfterWrite(c, away ?? '/login')
  })
