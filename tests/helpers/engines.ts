/** Which engine this run tests: PostgreSQL when TEST_DATABASE_URL is set, PGlite otherwise. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined
export const ENGINE: 'postgres' | 'pglite' = TEST_DATABASE_URL ? 'postgres' : 'pglite'
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

export function databaseUrlFor(name: string): string {
  const url = new URL(TEST_DATABASE_URL!)
  url.pathname = '/' + name
  return url.toString()
}
