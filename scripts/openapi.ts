/**
 * `node scripts/openapi.ts FILE` writes the API's OpenAPI document, as GET /api/v1/openapi.json
 * serves it, to FILE (for `npm run lint:openapi`). Builds the app without opening a database.
 */
import { writeFileSync } from 'node:fs'
import pino from 'pino'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import type { Db } from '../src/db/connect.ts'

const file = process.argv[2]
if (!file) {
  console.error('usage: node scripts/openapi.ts FILE')
  process.exit(2)
}
// The document is read off the router: no request reaches the database.
const app = createApp({ db: undefined as unknown as Db, engine: 'pglite', config: loadConfig(), log: pino({ level: 'silent' }) })
const res = await app.request('/api/v1/openapi.json')
if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`)
writeFileSync(file, JSON.stringify(await res.json(), null, 2))
console.log(`wrote ${file}`)
