import type { Translate } from '../web/i18n.ts'
import type { RegisterExtractFacts } from './extract.service.ts'

type Facts = RegisterExtractFacts['processing']

/**
 * The processing facts of a register extract in the reader's words: the defaults the register
 * settings leave unset, the lawful basis by name, the source. The JSON and the page both show this.
 */
export function processingInWords(p: Facts, t: Translate) {
  return {
    controller: p.controller,
    dpo_contact: p.dpo_contact,
    purposes: [p.purpose ?? t('privacy.default_purpose'), ...p.consent_purposes.map((purpose) => `${t('privacy.consents')}: ${purpose}`)],
    lawful_basis: { basis: p.lawful_basis.basis, label: t(`privacy.basis.${p.lawful_basis.basis}`), note: p.lawful_basis.note },
    retention: p.retention.length ? p.retention : [t('privacy.no_retention_rules')],
    recipients: p.recipients ?? t('privacy.default_recipients'),
    source: p.source ?? (p.registered_on ? t('privacy.source_registered', { date: p.registered_on }) : t('privacy.default_source')),
    controller_kind: p.controller_kind,
  }
}

/** The extract as the reader gets it: the facts, with the processing said in their language. */
export function extractInWords(facts: RegisterExtractFacts, t: Translate) {
  return { ...facts, processing: processingInWords(facts.processing, t) }
}
