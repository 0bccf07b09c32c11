import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** A phone number in E.164 (+46701234567); Swedish unless it says otherwise. Undefined if invalid. */
export function normalisePhone(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), 'SE')
  return parsed?.isValid() ? parsed.number : undefined
}

/**
 * A stored number as a Swede writes it: "070-174 06 42", "08-123 456 78"; a foreign one keeps
 * its country code ("+47 90 01 23 45"). Anything unreadable is shown as stored.
 */
export function formatPhone(stored: string | null | undefined): string {
  if (!stored) return ''
  const parsed = parsePhoneNumberFromString(stored, 'SE')
  if (!parsed) return stored
  return parsed.countryCallingCode === '46' ? parsed.formatNational() : parsed.formatInternational()
}
