import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

export class DataDirInUseError extends Error {}

const LOCK_FILE = 'natverket.lock'

function inUse(dataDir: string, file: string): DataDirInUseError {
  const pid = Number(fs.readFileSync(file, 'utf8').trim()) || '?'
  return new DataDirInUseError(
    `The data directory ${path.resolve(dataDir)} is in use by another server (pid ${pid}). ` +
      'Stop it first, or set DATA_DIR to another directory.',
  )
}

/**
 * PGlite is a single-process database: two servers writing one data directory corrupt it.
 *
 * The lock is flock(2) on a file in the directory, which the kernel enforces on the file
 * itself — across PID namespaces (two containers on one volume, both PID 1) and whatever the
 * pids say — and releases when the process dies, kill -9 included: no stale lock to guess at.
 * Node has no flock, and the npm packages that add it (fs-ext) are native add-ons built at
 * install time, which the slim production image cannot do. So the file is opened here and its
 * descriptor handed to util-linux's `flock --nonblock 3` (in every Debian image, busybox has
 * it too): a flock belongs to the open file description, which the child shares, so when the
 * child exits the lock stays with this process until it closes the file or dies.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true })
  const file = path.join(dataDir, LOCK_FILE)
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600)
  const result = spawnSync('flock', ['--exclusive', '--nonblock', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] })
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    fs.closeSync(fd)
    return pidFileLock(dataDir, file)
  }
  if (result.status !== 0) {
    fs.closeSync(fd)
    if (result.status === 1) throw inUse(dataDir, file)
    throw new DataDirInUseError(`Could not lock ${path.resolve(dataDir)}: ${String(result.stderr ?? result.error ?? '').trim()}`)
  }
  // For the message a second server gives; the lock itself is the flock.
  fs.ftruncateSync(fd)
  fs.writeSync(fd, String(process.pid), 0)
  fs.fsyncSync(fd)
  let open = true
  return () => {
    if (!open) return
    open = false
    fs.closeSync(fd)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Where there is no flock(1) (a developer's macOS): a file created with O_EXCL holding our
 * pid. Weaker — a pid means nothing in another PID namespace — but that case is a container.
 */
function pidFileLock(dataDir: string, file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(file, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(fs.readFileSync(file, 'utf8'))
      if (pid && pid !== process.pid && isAlive(pid)) throw inUse(dataDir, file)
      fs.rmSync(file, { force: true })
    }
  }
  throw new DataDirInUseError(`Could not lock ${path.resolve(dataDir)}`)
}
