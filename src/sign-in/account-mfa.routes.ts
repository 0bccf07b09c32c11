import { Hono, type Context } from 'hono'
import QRCode from 'qrcode'
import type { AppEnv } from '../app-env.ts'
import { clientIp } from '../auth/auth.service.ts'
import { requireRole } from '../auth/roles.ts'
import type { User } from '../db/schema.ts'
import { inTransaction, updateRecord } from '../db/write.ts'
import { findUser } from '../users/users.repo.ts'
import { NotFoundError, RateLimitedError } from '../web/errors.ts'
import { setFlash } from '../web/flash.ts'
import { formFields } from '../web/form.ts'
import { redirectAfterWrite } from '../web/htmx.ts'
import { render } from '../web/render.ts'
import { ENROL_PATH } from './mfa-gate.ts'
import { deleteRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.ts'
import { mfaRequired, verifyPendingKey, verifySecondFactor, WrongCodeError } from './second-factor.ts'
import { keyUri, manualKey, newTotpKey, openKey, sealKey } from './totp.ts'

async function me(c: Context<AppEnv>): Promise<User> {
  const user = await findUser(c.get('db'), c.get('user')!.id)
  if (!user) throw new NotFoundError()
  return user
}

async function mfaPage(c: Context<AppEnv>, user: User, error?: string, status: 200 | 401 | 422 | 429 = 200) {
  const { signIn } = c.get('deps').config
  const session = c.get('session')!
  const providerName = session.provider === 'oidc' ? signIn.oidc?.name : session.provider === 'saml' ? signIn.saml?.name : undefined
  let setup: { qr: string; key: string } | undefined
  if (!user.totp_enabled_at && user.totp_pending_key && !providerName) {
    const key = openKey(user.totp_pending_key, signIn.mfaKey)
    // An SVG drawn here (paths with presentation attributes only: nothing the CSP forbids).
    setup = { qr: await QRCode.toString(keyUri(user.email, key), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }), key: manualKey(key) }
  }
  c.header('Cache-Control', 'no-store')
  return render(
    c,
    'sign-in/mfa',
    { title: c.get('t')('mfa.title'), account: user, required: mfaRequired(signIn, user.role), providerName, setup, error },
    status,
  )
}

function codeRefused(c: Context<AppEnv>, user: User, err: unknown) {
  const t = c.get('t')
  if (err instanceof WrongCodeError) return mfaPage(c, user, t('mfa.wrong_code'), 422)
  if (err instanceof RateLimitedError) {
    c.header('Retry-After', String(err.retryAfterSeconds))
    return mfaPage(c, user, t('login.rate_limited', { minutes: Math.ceil(err.retryAfterSeconds / 60) }), 429)
  }
  throw err
}

/** Setting up (and turning off) the second factor of one's own password account. */
export const accountMfa = new Hono<AppEnv>()
  .get('/', requireRole('viewer'), async (c) => mfaPage(c, await me(c)))
  .post('/setup', requireRole('viewer'), async (c) => {
    const user = await me(c)
    if (user.totp_enabled_at || c.get('session')!.provider) return redirectAfterWrite(c, ENROL_PATH)
    const sealed = sealKey(newTotpKey(), c.get('deps').config.signIn.mfaKey)
    await updateRecord(c.get('db'), 'users', user.id, user.version, { totp_pending_key: sealed }, { userId: user.id })
    return redirectAfterWrite(c, ENROL_PATH)
  })
  .post('/confirm', requireRole('viewer'), async (c) => {
    const user = await me(c)
    const db = c.get('db')
    if (user.totp_enabled_at || !user.totp_pending_key) return redirectAfterWrite(c, ENROL_PATH)
    const code = ((await formFields(c)).code ?? '').slice(0, 64)
    let step: number
    try {
      step = await verifyPendingKey(db, c.get('deps').config.signIn, user.id, code, clientIp(c))
    } catch (err) {
      return codeRefused(c, user, err)
    }
    const codes = await inTransaction(db, async (tx) => {
      const patch = { totp_key: user.totp_pending_key, totp_pending_key: null, totp_enabled_at: new Date(), totp_last_step: step }
      await updateRecord(tx, 'users', user.id, user.version, patch, { userId: user.id })
      return replaceRecoveryCodes(tx, user.id)
    })
    c.header('Cache-Control', 'no-store')
    // Shown this once: only their hashes are kept.
    return render(c, 'sign-in/recovery-codes', { title: c.get('t')('mfa.recovery_title'), codes })
  })
  .post('/disable', requireRole('viewer'), async (c) => {
    const user = await me(c)
    const { signIn } = c.get('deps').config
    if (!user.totp_enabled_at) return redirectAfterWrite(c, ENROL_PATH)
    if (mfaRequired(signIn, user.role)) return mfaPage(c, user, c.get('t')('mfa.disable_not_allowed'), 422)
    const code = ((await formFields(c)).code ?? '').slice(0, 64)
    const db = c.get('db')
    try {
      await verifySecondFactor(db, signIn, user.id, code, clientIp(c))
    } catch (err) {
      return codeRefused(c, user, err)
    }
    await inTransaction(db, async (tx) => {
      const fresh = (await findUser(tx, user.id))!
      const patch = { totp_key: null, totp_pending_key: null, totp_enabled_at: null, totp_last_step: null }
      await updateRecord(tx, 'users', user.id, fresh.version, patch, { userId: user.id })
      await deleteRecoveryCodes(tx, user.id)
    })
    setFlash(c, 'mfa.disabled')
    return redirectAfterWrite(c, ENROL_PATH)
  })
