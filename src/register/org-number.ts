/**
 * Swedish organisationsnummer: ten digits, NNNNNN-NNNN, the last a Luhn check digit. A
 * twelve-digit form with a century prefix (16, 19, 20) is accepted and shortened.
 */
export function normaliseOrgNumber(input: string): string | undefined {
  let digits = input.replace(/[\s-]/g, '')
  if (!/^\d+$/.test(digits)) return undefined
  if (digits.length === 12 && /^(16|19|20)/.test(digits)) digits = digits.slice(2)
  if (digits.length !== 10 || !luhnValid(digits)) return undefined
  return `${digits.slice(0, 6)}-${digits.slice(6)}`
}

function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}
