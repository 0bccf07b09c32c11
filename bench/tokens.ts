/**
 * Prints the bench admin's API token and browser cookie for a database already filled with
 * `npm run bench:generate`, for measuring a read by hand (autocannon -H "authorization: Bearer …"):
 *
 *   DATABASE_URL=postgres://…/navet_perf50 node --experimental-strip-types bench/tokens.ts
 *   node --experimental-strip-types bench/tokens.ts --data-dir /tmp/navet-big
 */
import { kyselyOverPglite, kyselyOverPostgres, openPglite } from '../src/db/connect.ts'
import { benchSessions } from './bench-server-db.ts'

const at = process.argv.indexOf('--data-dir')
const url = process.env.DATABASE_URL
const pglite = url ? undefined : await openPglite({ dataDir: at > 0 ? process.argv[at + 1]! : process.env.DATA_DIR! })
const db = url ? kyselyOverPostgres(url).db : kyselyOverPglite(pglite!)
const { api, browser } = await benchSessions(db)
console.log(JSON.stringify({ api: api.token, browser: browser.token }))
await db.destroy()
if (pglite && !pglite.closed) await pglite.close()
