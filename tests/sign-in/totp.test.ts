import { generateHOTP } from '@oslojs/otp'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { LOCAL_ONLY } from '../../src/sign-in/sign-in.config.ts'
import { acceptedStep, newTotpKey, openKey, sealKey, SealedKeyError } from '../../src/sign-in/totp.ts'
import { cookieFrom, formPost, jsonRequest, PASSWORD, testApp, type TestApp } from '../helpers/app.ts'

const T0 = new Date('2026-12-03T08:00:00Z')
const step = (d: Date) => Math.floor(d.getTime() / 30_000)
const codeAt = (key: Uint8Array, d: Date) => generateHOTP(key, BigInt(step(d)), 6)
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000)

describe('TOTP codes (RFC 6238) on a controlled clock', () => {
  const key = newTotpKey()

  it('accepts the current code and its neighbours for clock drift, not older ones', () => {
    expect(acceptedStep(key, codeAt(key, T0), null, T0)).toBe(step(T0))
    expect(acceptedStep(key, codeAt(key, T0), null, later(30))).toBe(step(T0))
    expect(acceptedStep(key, codeAt(key, T0), null, later(90))).toBeNull()
    expect(acceptedStep(key, 'abcdef', null, T0)).toBeNull()
  })

  it('never accepts a code of a step already used, or an earlier one', () => {
    expect(acceptedStep(key, codeAt(key, T0), step(T0), T0)).toBeNull()
    expect(acceptedStep(key, codeAt(key, later(30)), step(T0), later(30))).toBe(step(T0) + 1)
  })

  it('keeps keys encrypted at rest when MFA_ENCRYPTION_KEY is set, and refuses another key', () => {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const sealed = sealKey(key, secret)
    expect(Buffer.from(sealed).includes(Buffer.from(key))).toBe(false)
    expect(openKey(sealed, secret)).toEqual(key)
    expect(() => openKey(sealed, crypto.getRandomValues(new Uint8Array(32)))).toThrow(SealedKeyError)
    expect(openKey(sealKey(key, undefined), undefined)).toEqual(key)
  })
})

let t: TestApp
beforeAll(async () => {
  t = await testApp({ signIn: { ...LOCAL_ONLY, requireMfaFor: 'admin', mfaKey: crypto.getRandomValues(new Uint8Array(32)) } })
})
afterAll(() => t.close())
afterEach(() => vi.useRealTimers())

/** Sets up TOTP for a new user through /account/mfa, reading the key off the page as a person would. */
async function enrolled(role: 'editor' | 'admin' = 'editor') {
  const { user, cookie } = await t.browser(role)
  expect((await t.request('/account/mfa/setup', formPost({}, cookie))).status).toBe(303)
  const page = await (await t.request('/account/mfa', { headers: { cookie } })).text()
  expect(page).toContain('<svg')
  const shown = page.match(/<code id="manual-key">([A-Z2-7 ]+)<\/code>/)![1]!
  const key = decodeBase32IgnorePadding(shown.replace(/ /g, ''))
  const confirm = await t.request('/account/mfa/confirm', formPost({ code: codeAt(key, new Date()) }, cookie))
  expect(confirm.status).toBe(200)
  const html = await confirm.text()
  const codes = [...html.matchAll(/<li>([a-z2-7]{5}-[a-z2-7]{5})<\/li>/g)].map((m) => m[1]!)
  expect(codes).toHaveLength(10)
  return { user, cookie, key, codes }
}

async function passwordStep(email: string) {
  const res = await t.request('/login', formPost({ email, password: PASSWORD, next: '/organisations' }))
  expect(res.status).toBe(303)
  expect(res.headers.get('location')).toBe('/login/code')
  expect(cookieFrom(res, 'session')).toBeUndefined()
  return `signin=${cookieFrom(res, 'signin')}`
}

describe('a second factor for password accounts', () => {
  it('enrols with a QR code and shows ten recovery codes once, keeping only their hashes', async () => {
    const { user, codes } = await enrolled()
    const stored = await t.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute()
    expect(stored).toHaveLength(10)
    expect(stored.some((r) => Buffer.from(r.code_hash).toString().includes(codes[0]!))).toBe(false)
    const page = await (await t.request('/account/mfa', { headers: { cookie: `session=${(await t.browser('viewer')).token}` } })).text()
    expect(page).not.toContain(codes[0]!)
  })

  it('asks for the code after the password, and signs in only with a right one', async () => {
    const { user, key } = await enrolled()
    // An hour after enrolment (whose code is used up), on a clock that stands still.
    const base = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 3600_000)
    const later = (seconds: number) => new Date(base.getTime() + seconds * 1000)
    vi.useFakeTimers({ toFake: ['Date'], now: later(0) })
    const pending = await passwordStep(user.email)
    expect((await t.request('/login/code', { headers: { cookie: pending } })).status).toBe(200)
    const wrong = await t.request('/login/code', formPost({ code: '000000' }, pending))
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('Koden stämmer inte')
    const ok = await t.request('/login/code', formPost({ code: codeAt(key, later(0)) }, pending))
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/organisations')
    expect(cookieFrom(ok, 'session')).toBeDefined()
    // The same code a second time, in a new sign-in: refused.
    const again = await passwordStep(user.email)
    expect((await t.request('/login/code', formPost({ code: codeAt(key, later(0)) }, again))).status).toBe(401)
    // Thirty seconds on, the next code works.
    vi.setSystemTime(later(30))
    expect((await t.request('/login/code', formPost({ code: codeAt(key, later(30)) }, again))).status).toBe(303)
  })

  it('accepts each recovery code once', async () => {
    const { user, codes } = await enrolled()
    const first = await passwordStep(user.email)
    expect((await t.request('/login/code', formPost({ code: codes[3]!.toUpperCase() }, first))).status).toBe(303)
    const second = await passwordStep(user.email)
    expect((await t.request('/login/code', formPost({ code: codes[3]! }, second))).status).toBe(401)
  })

  it('applies the login rate limit to codes', async () => {
    const { user, key } = await enrolled()
    const pending = await passwordStep(user.email)
    for (let i = 0; i < 5; i++) expect((await t.request('/login/code', formPost({ code: '123456' }, pending))).status).toBe(401)
    const limited = await t.request('/login/code', formPost({ code: codeAt(key, new Date()) }, pending))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeTruthy()
  })

  it('asks the API for the code too', async () => {
    const { user, key } = await enrolled()
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 })
    expect((await t.request('/api/v1/sessions', jsonRequest('POST', { email: user.email, password: PASSWORD }))).status).toBe(401)
    const ok = await t.request('/api/v1/sessions', jsonRequest('POST', { email: user.email, password: PASSWORD, code: codeAt(key, new Date()) }))
    expect(ok.status).toBe(201)
  })

  it('holds an administrator without a second factor at enrolment (REQUIRE_MFA_FOR=admin)', async () => {
    const admin = await t.user('admin')
    const res = await t.request('/login', formPost({ email: admin.email, password: PASSWORD }))
    const cookie = `session=${cookieFrom(res, 'session')}`
    const home = await t.request('/admin/users', { headers: { cookie } })
    expect(home.status).toBe(303)
    expect(home.headers.get('location')).toBe('/account/mfa')
    expect(await (await t.request('/account/mfa', { headers: { cookie } })).text()).toContain('Din roll kräver tvåstegsverifiering')
    expect((await t.request('/api/v1/sessions', jsonRequest('POST', { email: admin.email, password: PASSWORD }))).status).toBe(403)
    // An editor is not held.
    const editor = await t.browser('editor')
    expect((await t.request('/organisations', { headers: { cookie: editor.cookie } })).status).toBe(200)
  })

  it('lets an enrolled administrator through once the code is given', async () => {
    const { user, key } = await enrolled('admin')
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 })
    const pending = await passwordStep(user.email)
    const ok = await t.request('/login/code', formPost({ code: codeAt(key, new Date()) }, pending))
    const users = await t.request('/admin/users', { headers: { cookie: `session=${cookieFrom(ok, 'session')}` } })
    expect(users.status).toBe(200)
  })

  it('lets an administrator reset a lost second factor, signing the person out', async () => {
    const { user, cookie } = await enrolled()
    // REQUIRE_MFA_FOR=admin here: the administrator has a second factor too.
    const admin = await enrolled('admin')
    const edit = await (await t.request(`/admin/users/${user.id}/edit`, { headers: { cookie: admin.cookie } })).text()
    expect(edit).toContain('Återställ tvåstegsverifiering')
    const version = edit.match(/action="\/admin\/users\/[^"]+\/mfa\/reset">\s*<input type="hidden" name="version" value="(\d+)"/)![1]!
    const res = await t.request(`/admin/users/${user.id}/mfa/reset`, formPost({ version }, admin.cookie))
    expect(res.status).toBe(303)
    expect((await t.request('/organisations', { headers: { cookie } })).status).toBe(303)
    const again = await t.request('/login', formPost({ email: user.email, password: PASSWORD }))
    expect(cookieFrom(again, 'session')).toBeDefined()
    // A stale form changes nothing.
    expect((await t.request(`/admin/users/${user.id}/mfa/reset`, formPost({ version }, admin.cookie))).status).toBe(409)
  })

  it('never writes the key into the audit trail', async () => {
    const { user, key } = await enrolled()
    const rows = await t.db.selectFrom('audit_log').select('changes').where('entity_id', '=', user.id).execute()
    const text = JSON.stringify(rows)
    expect(text).toContain('totp_key')
    expect(text).not.toContain(Buffer.from(key).toString('base64'))
    expect(text).not.toContain(Buffer.from(key).toString('hex'))
  })
})
