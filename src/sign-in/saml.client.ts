import { SAML, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml'
import { sql } from 'kysely'
import type { Executor } from '../db/write.ts'
import type { SamlConfig } from './sign-in.config.ts'

const REQUEST_TTL_MS = 10 * 60 * 1000
const CLOCK_SKEW_MS = 60 * 1000

export class SamlRefused extends Error {}

/** Our AuthnRequest ids, kept in the database so that any instance can match the answer. */
function requestIds(db: Executor): CacheProvider {
  return {
    async saveAsync(key, value) {
      const expires = new Date(Date.now() + REQUEST_TTL_MS)
      await db.insertInto('login_requests').values({ id: key, kind: 'saml', data: JSON.stringify({ value }), expires_at: expires }).execute()
      return { value, createdAt: Date.now() }
    },
    async getAsync(key) {
      const row = await db.selectFrom('login_requests').select('data').where('id', '=', key).where('kind', '=', 'saml')
        .where('expires_at', '>', sql<Date>`now()`).executeTakeFirst()
      return typeof row?.data.value === 'string' ? row.data.value : null
    },
    async removeAsync(key) {
      if (!key) return null
      const row = await db.deleteFrom('login_requests').where('id', '=', key).where('kind', '=', 'saml').returning('data').executeTakeFirst()
      return typeof row?.data.value === 'string' ? row.data.value : null
    },
  }
}

export function samlClient(db: Executor, saml: SamlConfig, acsUrl: string): SAML {
  return new SAML({
    callbackUrl: acsUrl,
    entryPoint: saml.entryPoint,
    issuer: saml.spEntityId,
    audience: saml.spEntityId,
    idpCert: saml.idpCert,
    ...(saml.idpIssuer ? { idpIssuer: saml.idpIssuer } : {}),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: requestIds(db),
    identifierFormat: null,
    // ADFS may satisfy a sign-in with Windows authentication or its own MFA: ask for no method.
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
  })
}

export interface SamlIdentity {
  issuer: string
  subject: string
  sessionIndex: string | undefined
  email: string | undefined
  name: string | undefined
  groups: unknown
}

type XmlNode = { $?: Record<string, string> } & Record<string, unknown>
const first = (v: unknown): XmlNode | undefined => (Array.isArray(v) ? (v[0] as XmlNode) : undefined)

const EMAIL_ATTRIBUTES = ['email', 'mail', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'urn:oid:0.9.2342.19200300.100.1.3']
const NAME_ATTRIBUTES = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'displayName', 'urn:oid:2.16.840.1.113730.3.1.241', 'cn']

/**
 * Validates a posted SAMLResponse: the assertion signed with the provider's certificate, for our
 * audience, in date (a minute of clock skew), answering one of our requests if it says so —
 * all by node-saml — and, here, addressed to our ACS URL (Recipient) and never seen before
 * (its id is kept until it expires).
 */
export async function validateSamlResponse(db: Executor, saml: SamlConfig, acsUrl: string, samlResponse: string): Promise<SamlIdentity> {
  const { profile } = await samlClient(db, saml, acsUrl).validatePostResponseAsync({ SAMLResponse: samlResponse })
  if (!profile?.nameID) throw new SamlRefused('no subject')
  const assertion = first([(profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion])
  const confirmation = first(first(first(assertion?.Subject)?.SubjectConfirmation)?.SubjectConfirmationData)
  if (confirmation?.$?.Recipient !== acsUrl) throw new SamlRefused('recipient')
  const id = assertion?.$?.ID
  const until = first(assertion?.Conditions)?.$?.NotOnOrAfter ?? confirmation.$?.NotOnOrAfter
  if (!id || !until || Number.isNaN(Date.parse(until))) throw new SamlRefused('no id or expiry')
  const seen = await db
    .insertInto('saml_assertions')
    .values({ id: `${profile.issuer}|${id}`.slice(0, 512), expires_at: new Date(Date.parse(until) + CLOCK_SKEW_MS) })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!seen) throw new SamlRefused('replayed')
  const attr = (names: string[]) => names.map((n) => profile[n]).find((v): v is string => typeof v === 'string')
  return {
    issuer: profile.issuer,
    subject: profile.nameID,
    sessionIndex: profile.sessionIndex,
    email: attr(EMAIL_ATTRIBUTES) ?? (profile.nameID.includes('@') ? profile.nameID : undefined),
    name: attr(NAME_ATTRIBUTES),
    groups: profile[saml.groupsAttribute],
  }
}
