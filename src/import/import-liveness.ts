import { sql } from 'kysely'
import type { Db } from '../db/connect.ts'

export type Engine = 'pglite' | 'postgres'

const key = (reportId: string) => sql`hashtextextended(${`navet-import:${reportId}`}, 0)`

/**
 * On PostgreSQL a running import (or undo) holds a session advisory lock on a connection of its
 * own. The server drops it when the process dies — kill -9 included — so any instance, this one
 * restarted or another, can tell at once that the job is orphaned. (On the embedded database the
 * single process is the only one that can run a job: nothing to hold.) Resolves once the lock is
 * held; `release` frees it, and resolves once it is free.
 */
export async function holdJobLock(db: Db, engine: Engine, reportId: string): Promise<{ release(): Promise<void> }> {
  if (engine !== 'postgres') return { release: async () => {} }
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  let held!: () => void
  const acquired = new Promise<void>((resolve) => (held = resolve))
  const holding = db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${key(reportId)})`.execute(conn)
    held()
    await released
    await sql`select pg_advisory_unlock(${key(reportId)})`.execute(conn)
  })
  await Promise.race([acquired, holding])
  holding.catch(() => {})
  // Settled once the lock is freed (or its connection gone): another instance asking right after sees it free.
  return {
    release: async () => {
      release()
      await holding.catch(() => {})
    },
  }
}

/** Whether the job of `reportId` has died: nobody holds its lock. If so, runs `fn` holding it. */
export async function ifOrphaned(db: Db, engine: Engine, reportId: string, fn: () => Promise<void>): Promise<boolean> {
  if (engine !== 'postgres') {
    await fn()
    return true
  }
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_lock(${key(reportId)}) as got`.execute(conn)
    if (!rows[0]?.got) return false
    try {
      await fn()
    } finally {
      await sql`select pg_advisory_unlock(${key(reportId)})`.execute(conn)
    }
    return true
  })
}
