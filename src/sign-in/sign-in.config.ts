import { z } from 'zod'
import type { Role } from '../db/schema.ts'

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v)
const optionalText = z.preprocess(emptyToUndefined, z.string().trim().min(1).optional())
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** https, or http on this machine only (a provider started by a test, a developer's Keycloak). */
const providerUrl = z.preprocess(
  emptyToUndefined,
  z
    .url({ message: 'must be a URL' })
    .refine((u) => u.startsWith('https://') || LOOPBACK.has(new URL(u).hostname), 'must be https (http only on localhost)')
    .optional(),
)

/** `navet-admins=admin,navet-editors=editor,*=viewer`: of a person's groups the highest role wins; `*` is for everyone else. */
export type RoleMap = { groups: Map<string, Role>; fallback: Role | undefined }

const roleMap = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((text, ctx): RoleMap | typeof z.NEVER => {
      const groups = new Map<string, Role>()
      let fallback: Role | undefined
      for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
        const eq = pair.lastIndexOf('=')
        const group = pair.slice(0, eq).trim()
        const role = pair.slice(eq + 1).trim()
        if (eq <= 0 || !group || !['admin', 'editor', 'viewer'].includes(role)) {
          ctx.addIssue({ code: 'custom', message: 'must be group=role pairs (admin, editor or viewer) separated by commas' })
          return z.NEVER
        }
        if (group === '*') fallback = role as Role
        else groups.set(group, role as Role)
      }
      return { groups, fallback }
    })
    .optional(),
)

const emailList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .transform((s) => s.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.email({ message: 'must be e-mail addresses separated by commas' })))
    .default([]),
)

export const signInEnv = {
  PUBLIC_URL: providerUrl,
  LOCAL_LOGIN: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
  BREAK_GLASS_EMAILS: emailList,
  REQUIRE_MFA_FOR: z.preprocess(emptyToUndefined, z.enum(['none', 'admin', 'all']).default('none')),
  MFA_ENCRYPTION_KEY: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)').optional(),
  ),
  OIDC_ISSUER: providerUrl,
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_SCOPES: z.preprocess(emptyToUndefined, z.string().regex(/(^|\s)openid(\s|$)/, 'must include openid').default('openid email profile')),
  OIDC_GROUPS_CLAIM: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('groups')),
  OIDC_ROLE_MAP: roleMap,
  OIDC_NAME: optionalText,
  SAML_ENTRY_POINT: providerUrl,
  SAML_IDP_CERT: optionalText,
  SAML_IDP_ISSUER: optionalText,
  SAML_SP_ENTITY_ID: optionalText,
  SAML_GROUPS_ATTRIBUTE: z.preprocess(emptyToUndefined, z.string().trim().min(1).default('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups')),
  SAML_ROLE_MAP: roleMap,
  SAML_NAME: optionalText,
}

type SignInEnv = z.output<z.ZodObject<typeof signInEnv>>

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string | undefined
  scopes: string
  groupsClaim: string
  roleMap: RoleMap
  name: string
}

export interface SamlConfig {
  entryPoint: string
  idpCert: string | string[]
  idpIssuer: string | undefined
  spEntityId: string
  groupsAttribute: string
  roleMap: RoleMap
  name: string
}

export interface SignInConfig {
  publicUrl: string | undefined
  localLogin: boolean
  breakGlassEmails: string[]
  requireMfaFor: 'none' | 'admin' | 'all'
  /** AES-256-GCM key for TOTP secrets at rest; unset keeps them unencrypted (never logged). */
  mfaKey: Uint8Array | undefined
  oidc: OidcConfig | undefined
  saml: SamlConfig | undefined
}

type Issue = { path: string; message: string }

/** Cross-field checks: a half-configured provider names what is missing. */
export function signInProblems(e: SignInEnv): Issue[] {
  const problems: Issue[] = []
  const need = (names: (keyof SignInEnv)[], when: string) => {
    for (const n of names) if (e[n] === undefined) problems.push({ path: n, message: `required when ${when} is set` })
  }
  if (e.OIDC_ISSUER || e.OIDC_CLIENT_ID) need(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_ROLE_MAP'], e.OIDC_ISSUER ? 'OIDC_ISSUER' : 'OIDC_CLIENT_ID')
  if (e.SAML_ENTRY_POINT || e.SAML_IDP_CERT) need(['SAML_ENTRY_POINT', 'SAML_IDP_CERT', 'SAML_SP_ENTITY_ID'], e.SAML_ENTRY_POINT ? 'SAML_ENTRY_POINT' : 'SAML_IDP_CERT')
  if (e.SAML_ENTRY_POINT && !e.SAML_ROLE_MAP && !e.OIDC_ROLE_MAP) problems.push({ path: 'SAML_ROLE_MAP', message: 'required (or OIDC_ROLE_MAP) when SAML_ENTRY_POINT is set' })
  if (e.LOCAL_LOGIN === 'off' && !e.OIDC_ISSUER && !e.SAML_ENTRY_POINT) {
    problems.push({ path: 'LOCAL_LOGIN', message: 'off needs OIDC_ISSUER or SAML_ENTRY_POINT, or nobody could sign in' })
  }
  return problems
}

/** One certificate, or several during the provider's rollover (PEM blocks one after another; `\n` may stand for newlines). */
function idpCertificates(value: string): string | string[] {
  const text = value.replace(/\\n/g, '\n')
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
  return pems && pems.length > 1 ? pems : text
}

export function toSignInConfig(e: SignInEnv): SignInConfig {
  const oidc = e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_ROLE_MAP
    ? {
        issuer: e.OIDC_ISSUER,
        clientId: e.OIDC_CLIENT_ID,
        clientSecret: e.OIDC_CLIENT_SECRET,
        scopes: e.OIDC_SCOPES,
        groupsClaim: e.OIDC_GROUPS_CLAIM,
        roleMap: e.OIDC_ROLE_MAP,
        name: e.OIDC_NAME ?? new URL(e.OIDC_ISSUER).hostname,
      }
    : undefined
  const samlRoles = e.SAML_ROLE_MAP ?? e.OIDC_ROLE_MAP
  const saml = e.SAML_ENTRY_POINT && e.SAML_IDP_CERT && e.SAML_SP_ENTITY_ID && samlRoles
    ? {
        entryPoint: e.SAML_ENTRY_POINT,
        idpCert: idpCertificates(e.SAML_IDP_CERT),
        idpIssuer: e.SAML_IDP_ISSUER,
        spEntityId: e.SAML_SP_ENTITY_ID,
        groupsAttribute: e.SAML_GROUPS_ATTRIBUTE,
        roleMap: samlRoles,
        name: e.SAML_NAME ?? new URL(e.SAML_ENTRY_POINT).hostname,
      }
    : undefined
  return {
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    localLogin: e.LOCAL_LOGIN === 'on',
    breakGlassEmails: e.BREAK_GLASS_EMAILS,
    requireMfaFor: e.REQUIRE_MFA_FOR,
    mfaKey: e.MFA_ENCRYPTION_KEY ? new Uint8Array(Buffer.from(e.MFA_ENCRYPTION_KEY, 'base64')) : undefined,
    oidc,
    saml,
  }
}

/** Everything off: local passwords only (what tests and a fresh install get). */
export const LOCAL_ONLY: SignInConfig = {
  publicUrl: undefined,
  localLogin: true,
  breakGlassEmails: [],
  requireMfaFor: 'none',
  mfaKey: undefined,
  oidc: undefined,
  saml: undefined,
}
