import { inflateRawSync } from 'node:zlib'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCAL_ONLY } from '../../src/sign-in/sign-in.config.ts'
import { findLiveUserByEmail } from '../../src/users/users.repo.ts'
import { cookieFrom, testApp, type TestApp } from '../helpers/app.ts'
import { signedResponse, signingIdentity, tampered, type AssertionFields } from '../helpers/saml-idp.ts'

const IDP = 'http://adfs.myndigheten.example/adfs/services/trust'
const SP = 'https://navet.myndigheten.example'
const ACS = 'http://localhost/auth/saml/acs'
const GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'
const idpKey = signingIdentity()
const otherKey = signingIdentity('Someone else')

let t: TestApp
const logLines: string[] = []
/** The check the last refusal was logged under. */
const lastReason = () => JSON.parse(logLines.filter((l) => l.includes('saml sign-in refused')).at(-1) ?? '{}').reason

beforeAll(async () => {
  t = await testApp({
    signIn: {
      ...LOCAL_ONLY,
      saml: {
        entryPoint: 'https://adfs.myndigheten.example/adfs/ls/',
        idpCert: idpKey.cert,
        idpIssuer: IDP,
        spEntityId: SP,
        groupsAttribute: GROUPS,
        roleMap: { groups: new Map([['navet-admins', 'admin'], ['navet-editors', 'editor']]), fallback: undefined },
        name: 'Myndigheten',
      },
    },
  }, pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }))
})
afterAll(() => t.close())

let n = 0
function assertion(over: Partial<AssertionFields> = {}): AssertionFields {
  n++
  return {
    idpEntityId: IDP,
    audience: SP,
    recipient: ACS,
    nameId: `persistent-id-${n}`,
    attributes: {
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': [`person${n}@myndigheten.example`],
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': [`Person ${n}`],
      [GROUPS]: ['navet-editors', 'all-staff'],
    },
    ...over,
  }
}

/** The identity provider's page posts the form: cross-site, as a browser does. */
function post(samlResponse: string, relayState = '/organisations') {
  return t.request('/auth/saml/acs', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://adfs.myndigheten.example', 'sec-fetch-site': 'cross-site' },
    body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
  })
}

describe('signing in with SAML 2.0', () => {
  it('publishes the service provider metadata at a stable address', async () => {
    const res = await t.request('/auth/saml/metadata')
    expect(res.status).toBe(200)
    const xml = await res.text()
    expect(xml).toContain(`entityID="${SP}"`)
    expect(xml).toContain(`Location="${ACS}"`)
  })

  it('sends the browser to the provider with a request, and accepts the signed answer to it', async () => {
    const res = await t.request('/auth/saml/login?next=/contacts')
    expect(res.status).toBe(303)
    const to = new URL(res.headers.get('location')!)
    expect(to.origin + to.pathname).toBe('https://adfs.myndigheten.example/adfs/ls/')
    expect(to.searchParams.get('RelayState')).toBe('/contacts')
    const request = inflateRawSync(Buffer.from(to.searchParams.get('SAMLRequest')!, 'base64')).toString()
    const requestId = request.match(/ID="([^"]+)"/)![1]!
    const answer = await post(signedResponse(idpKey, assertion({ inResponseTo: requestId })), '/contacts')
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('/contacts')
    // An answer to a request we never made is refused.
    expect((await post(signedResponse(idpKey, assertion({ inResponseTo: '_never-asked' })))).status).toBe(400)
  })

  it('signs a person in from a signed assertion posted cross-site, with the role of the group', async () => {
    const fields = assertion()
    const res = await post(signedResponse(idpKey, fields))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/organisations')
    const session = cookieFrom(res, 'session')
    expect((await t.request('/organisations', { headers: { cookie: `session=${session}` } })).status).toBe(200)
    const email = fields.attributes['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress']![0]!
    expect(await findLiveUserByEmail(t.db, email)).toMatchObject({ role: 'editor', external_issuer: IDP, external_subject: fields.nameId })
  })

  it('refuses an assertion changed after signing (a tampered signature)', async () => {
    const res = await post(tampered(signedResponse(idpKey, assertion()), '<saml:AttributeValue>navet-editors<', '<saml:AttributeValue>navet-admins<'))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Svaret från inloggningstjänsten kunde inte godkännas')
    expect(cookieFrom(res, 'session')).toBeUndefined()
    expect(lastReason()).toBe('signature')
  })

  it('refuses an assertion signed with another key, or not signed at all', async () => {
    expect((await post(signedResponse(otherKey, assertion()))).status).toBe(400)
    expect(lastReason()).toBe('signature')
    expect((await post(signedResponse(null, assertion()))).status).toBe(400)
    expect(lastReason()).toBe('signature')
  })

  it('refuses an assertion for another audience or another address', async () => {
    expect((await post(signedResponse(idpKey, assertion({ audience: 'https://other-app.example' })))).status).toBe(400)
    expect(lastReason()).toBe('audience')
    expect((await post(signedResponse(idpKey, assertion({ recipient: 'https://evil.example/acs' })))).status).toBe(400)
    expect(lastReason()).toBe('recipient')
  })

  it('refuses an expired assertion', async () => {
    expect((await post(signedResponse(idpKey, assertion({ validForSeconds: -120 })))).status).toBe(400)
    expect(lastReason()).toBe('expired')
  })

  it('refuses an assertion posted a second time', async () => {
    const response = signedResponse(idpKey, assertion())
    expect((await post(response)).status).toBe(303)
    const again = await post(response)
    expect(again.status).toBe(400)
    expect(cookieFrom(again, 'session')).toBeUndefined()
    expect(lastReason()).toBe('replayed')
  })

  it('refuses a person whose groups map to no role, saying so', async () => {
    const res = await post(signedResponse(idpKey, assertion({ attributes: { email: ['kim@myndigheten.example'], [GROUPS]: ['kitchen'] } })))
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Ditt konto hos Myndigheten ger inte tillgång till Navet')
    expect(logLines.join('\n')).not.toContain('@myndigheten.example')
  })

  it('still refuses other cross-site posts (only the assertion consumer is exempt)', async () => {
    const res = await t.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://adfs.myndigheten.example', 'sec-fetch-site': 'cross-site' },
      body: 'email=a%40b.se&password=x',
    })
    expect(res.status).toBe(403)
  })
})
