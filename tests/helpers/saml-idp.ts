import forge from 'node-forge'
import { SignedXml } from 'xml-crypto'

/** A key and self-signed certificate, as an identity provider signs its assertions with. */
export function signingIdentity(commonName = 'Test IdP') {
  const keys = forge.pki.rsa.generateKeyPair(2048)
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = '01'
  cert.validity.notBefore = new Date(Date.now() - 86_400_000)
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000)
  const attrs = [{ name: 'commonName', value: commonName }]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { privateKey: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) }
}

export interface AssertionFields {
  idpEntityId: string
  audience: string
  recipient: string
  nameId: string
  attributes: Record<string, string[]>
  /** Seconds from now the assertion stops being valid (negative: already expired). */
  validForSeconds?: number
  inResponseTo?: string
  id?: string
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')

/** A SAML 2.0 Response whose assertion is signed (RSA-SHA256, exclusive c14n) with `key`; base64 as posted. */
export function signedResponse(key: { privateKey: string; cert: string } | null, f: AssertionFields): string {
  const now = new Date()
  const iso = (s: number) => new Date(now.getTime() + s * 1000).toISOString()
  const until = iso(f.validForSeconds ?? 300)
  const irt = f.inResponseTo ? ` InResponseTo="${esc(f.inResponseTo)}"` : ''
  const id = f.id ?? `_a${crypto.randomUUID().replace(/-/g, '')}`
  const attributes = Object.entries(f.attributes)
    .map(([name, values]) => `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('')
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(-5)}">` +
    `<saml:Issuer>${esc(f.idpEntityId)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${esc(f.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${esc(f.recipient)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(-60)}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${esc(f.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(-5)}" SessionIndex="_s${crypto.randomUUID().slice(0, 8)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`
  const response =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${crypto.randomUUID().replace(/-/g, '')}" Version="2.0" IssueInstant="${iso(0)}" Destination="${esc(f.recipient)}"${irt}>` +
    `<saml:Issuer>${esc(f.idpEntityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`
  if (!key) return Buffer.from(response).toString('base64')
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  })
  sig.addReference({
    xpath: `//*[local-name(.)='Assertion' and @ID='${id}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  })
  sig.computeSignature(response, {
    prefix: 'ds',
    location: { reference: `//*[local-name(.)='Assertion' and @ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' },
  })
  return Buffer.from(sig.getSignedXml()).toString('base64')
}

/** The posted form field, with one thing changed after signing. */
export function tampered(samlResponse: string, from: string, to: string): string {
  return Buffer.from(Buffer.from(samlResponse, 'base64').toString('utf8').replace(from, to)).toString('base64')
}
