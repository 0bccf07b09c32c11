// An MTA pipe for returned mail: `npm run bounce < message.eml` (e.g. an alias
// `bounce: "|cd /srv/navet && npm run --silent bounce"`). Exit 0 also for mail that is not ours,
// so the MTA does not bounce the bounce; the outcome is one line on stdout, without addresses.
import { DEFAULT_MAIL, loadConfig } from '../src/config.ts'
import { connect } from '../src/db/connect.ts'
import { migrateToLatest } from '../src/db/migrate.ts'
import { handleReturnedMail } from '../src/newsletter/bounce.ts'

const MAX_BYTES = 10 * 1024 * 1024
const chunks: Buffer[] = []
let size = 0
for await (const chunk of process.stdin) {
  size += (chunk as Buffer).length
  if (size > MAX_BYTES) break
  chunks.push(chunk as Buffer)
}
const config = loadConfig()
const handle = await connect(config)
try {
  await migrateToLatest(handle.db)
  const outcome = await handleReturnedMail(handle.db, Buffer.concat(chunks).toString('utf8'), (config.mail ?? DEFAULT_MAIL).holdAfter)
  process.stdout.write(`bounce: ${outcome}\n`)
} finally {
  await handle.close()
}
