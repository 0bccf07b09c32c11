import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** A phone number in E.164 (+46701234567); Swedish unless it says otherwise. Undefined if invalid. */
export function normalisePhone(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), 'SE')
  return parsed?.isValid() ? parsed.number : undefined
}
