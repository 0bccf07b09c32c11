import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { backupDatabase } from '../../scripts/backup-format.ts'
import type { TestApp } from '../helpers/app.ts'

const run = promisify(execFile)
export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-privacy-test-'))
let n = 0

/**
 * Everything the database holds, as text: `pg_dump` of the whole database on PostgreSQL, the
 * backup file (`npm run backup`'s code) on PGlite.
 */
export async function wholeDatabase(t: TestApp): Promise<string> {
  if (t.url) {
    const { stdout } = await run('/usr/bin/pg_dump', ['--no-owner', t.url], { maxBuffer: 256 * 1024 * 1024 })
    return stdout
  }
  const file = path.join(tmp, `dump-${n++}.jsonl.gz`)
  await backupDatabase(t.db, file)
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')
}

/** The needles found in `text`, case-insensitively. */
export function traces(text: string, needles: string[]): string[] {
  const lower = text.toLowerCase()
  return needles.filter((n) => lower.includes(n.toLowerCase()))
}
