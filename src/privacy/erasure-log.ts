import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.ts'

/**
 * The erasure log: one JSON line per erasure or restriction, ids only (nothing personal), kept
 * outside the database so that restoring a backup taken before an erasure cannot bring the
 * person back: `npm run restore` and every start re-apply it (src/privacy/erasure-replay.ts).
 */
export interface ErasureEntry {
  at: string
  contact_id: string
  mode: 'anonymise' | 'restrict' | 'unrestrict'
  decision_id?: string | null
}

export function erasureLogPath(config: Pick<Config, 'erasureLog' | 'dataDir'>): string {
  return path.resolve(config.erasureLog ?? path.join(config.dataDir, 'erasures.log'))
}

/** Appends and flushes before the caller answers: a log line lost in a crash would be a person restored. */
export function appendErasure(file: string, entry: ErasureEntry): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, 'a', 0o600)
  try {
    fs.writeSync(fd, JSON.stringify(entry) + '\n')
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The entries in order; a line that is not a well-formed entry (a torn last line) is skipped. */
export function readErasures(file: string): ErasureEntry[] {
  if (!fs.existsSync(file)) return []
  const out: ErasureEntry[] = []
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      const e = JSON.parse(line) as ErasureEntry
      if (UUID.test(e.contact_id) && ['anonymise', 'restrict', 'unrestrict'].includes(e.mode)) out.push(e)
    } catch {
      // A line cut short by a crash: the erasure it belonged to was not confirmed to anyone.
    }
  }
  return out
}
