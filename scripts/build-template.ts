/**
 * `npm run build:template`: makes the migrated, empty embedded database that a first start on an
 * empty DATA_DIR unpacks instead of running initdb and the migrations (src/db/template.ts). The
 * Dockerfile runs it at image build time; without it, the first start that migrates from
 * nothing keeps one.
 */
import { openPglite, kyselyOverPglite } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { saveTemplate, templateFile } from '../src/db/template.ts'

const pglite = await openPglite({})
const db = kyselyOverPglite(pglite)
await migrateToLatest(db)
const saved = await saveTemplate(pglite)
console.log(saved ? `template written: ${saved}` : `template already there: ${templateFile()}`)
await db.destroy()
