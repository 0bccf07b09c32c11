import fs from 'node:fs'
import path from 'node:path'

export class DataDirInUseError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite is a single-process database: two servers writing one data directory corrupt it.
 * An exclusive lock file (created with O_EXCL) stops the second one with a clear message.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, 'natverket.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(file, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(fs.readFileSync(file, 'utf8'))
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DataDirInUseError(
          `The data directory ${path.resolve(dataDir)} is in use by another server (pid ${pid}). ` +
            'Stop it first, or set DATA_DIR to another directory.',
        )
      }
      // The owner died without cleaning up: the lock is stale.
      fs.rmSync(file, { force: true })
    }
  }
  throw new DataDirInUseError(`Could not lock ${path.resolve(dataDir)}`)
}
