import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { kyselyOverPglite, kyselyOverPostgres, openPglite, type Db } from '../src/db/connect.ts'

/**
 * A fresh, empty database for one benchmark: on the server in DATABASE_URL (a database `name`,
 * dropped again on close), else PGlite in a temporary directory (removed on close).
 */
export async function openBenchDatabase(name: string): Promise<{ db: Db; close(): Promise<void> }> {
  const server = process.env.DATABASE_URL
  if (server) {
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: server })
      await client.connect()
      try {
        await client.query(statement)
      } finally {
        await client.end()
      }
    }
    await admin(`drop database if exists ${name} with (force)`)
    await admin(`create database ${name}`)
    const url = new URL(server)
    url.pathname = `/${name}`
    const { db } = kyselyOverPostgres(url.toString())
    return {
      db,
      async close() {
        await db.destroy()
        await admin(`drop database if exists ${name} with (force)`)
      },
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`))
  const pglite = await openPglite({ dataDir: dir })
  const db = kyselyOverPglite(pglite)
  return {
    db,
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b)
  return { p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), max: round(s.at(-1)!) }
}
