import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'

const oidc = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
  OIDC_CLIENT_ID: 'navet',
  OIDC_CLIENT_SECRET: 'secret-value-never-printed',
  OIDC_ROLE_MAP: 'navet-admins=admin,navet-editors=editor,*=viewer',
}

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  return ''
}

describe('sign-in configuration', () => {
  it('reads an OpenID provider with its group-to-role map and defaults', () => {
    const { signIn } = loadConfig({ ...oidc, OIDC_NAME: 'Myndigheten' })
    expect(signIn.oidc).toMatchObject({ clientId: 'navet', scopes: 'openid email profile', groupsClaim: 'groups', name: 'Myndigheten' })
    expect(signIn.oidc?.roleMap.groups.get('navet-editors')).toBe('editor')
    expect(signIn.oidc?.roleMap.fallback).toBe('viewer')
    expect(signIn).toMatchObject({ localLogin: true, requireMfaFor: 'none', breakGlassEmails: [] })
  })

  it('names the variable of a bad value, and never prints the value', () => {
    const message = problem({ ...oidc, OIDC_ROLE_MAP: 'navet-admins=superuser' })
    expect(message).toContain('OIDC_ROLE_MAP')
    expect(message).not.toContain('secret-value-never-printed')
    expect(problem({ ...oidc, OIDC_ISSUER: 'http://idp.example.se' })).toContain('OIDC_ISSUER: must be https')
    expect(problem({ LOCAL_LOGIN: 'maybe' })).toContain('LOCAL_LOGIN')
    expect(problem({ REQUIRE_MFA_FOR: 'everyone' })).toContain('REQUIRE_MFA_FOR')
    expect(problem({ ...oidc, BREAK_GLASS_EMAILS: 'admin@example.se, not-an-address' })).toContain('BREAK_GLASS_EMAILS')
  })

  it('names what a half-configured provider lacks', () => {
    expect(problem({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toMatch(/OIDC_CLIENT_ID: required[\s\S]*OIDC_ROLE_MAP: required/)
    expect(problem({ SAML_ENTRY_POINT: 'https://adfs.example.se/adfs/ls/' })).toContain('SAML_IDP_CERT: required')
  })

  it('reads one SAML certificate, or both during a rollover', () => {
    const pem = (n: number) => `-----BEGIN CERTIFICATE-----\\nMIIC${n}\\n-----END CERTIFICATE-----`
    const saml = { SAML_ENTRY_POINT: 'https://adfs.example.se/adfs/ls/', SAML_SP_ENTITY_ID: 'https://navet.example.se', OIDC_ROLE_MAP: '*=viewer' }
    expect(loadConfig({ ...saml, SAML_IDP_CERT: pem(1) }).signIn.saml?.idpCert).toBe('-----BEGIN CERTIFICATE-----\nMIIC1\n-----END CERTIFICATE-----')
    expect(loadConfig({ ...saml, SAML_IDP_CERT: pem(1) + pem(2) }).signIn.saml?.idpCert).toHaveLength(2)
  })

  it('refuses to turn passwords off with no provider to sign in through', () => {
    expect(problem({ LOCAL_LOGIN: 'off' })).toContain('LOCAL_LOGIN: off needs OIDC_ISSUER or SAML_ENTRY_POINT')
    expect(loadConfig({ ...oidc, LOCAL_LOGIN: 'off', BREAK_GLASS_EMAILS: 'Nod@Example.se' }).signIn).toMatchObject({ localLogin: false, breakGlassEmails: ['nod@example.se'] })
  })
})
