import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DataDirInUseError, lockDataDir } from '../../src/db/data-dir-lock.ts'
import { ROOT } from '../../src/paths.ts'
import { ENGINE } from '../helpers/engines.ts'
import { preparedDataDir, startServer, stopServer, waitHealthy, type Proc } from '../helpers/server-process.ts'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-lock-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

// A PID namespace of its own needs root (or user namespaces); where there is none, say so.
const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--kill-child=SIGTERM', 'true']).status === 0
if (ENGINE === 'pglite' && !canUnshare) {
  // In CI nothing may skip silently: there a machine without PID namespaces is a failure.
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error('data-dir-lock: `unshare --pid --fork` is not permitted here (CI requires it)')
  console.warn('data-dir-lock: the PID-namespace test is skipped because `unshare --pid --fork` is not permitted here')
}

describe.runIf(ENGINE === 'pglite')('the embedded database’s data-directory lock', () => {
  it('refuses a second holder, in this same process too, and frees the directory when released', () => {
    const dir = path.join(tmp, 'same-process')
    const unlock = lockDataDir(dir)
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError)
    expect(() => lockDataDir(dir)).toThrow(/is in use by another server \(pid \d+\)/)
    unlock()
    lockDataDir(dir)()
  })

  it('is released by the kernel when its holder is killed with SIGKILL', async () => {
    const dir = path.join(tmp, 'killed')
    const script = `import('./src/db/data-dir-lock.ts').then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000) })`
    const holder = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise((resolve) => holder.stdout.once('data', resolve))
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError)
    holder.kill('SIGKILL')
    await new Promise((resolve) => holder.once('exit', resolve))
    lockDataDir(dir)()
  })

  describe.runIf(canUnshare)('across PID namespaces (two containers on one volume, both PID 1)', () => {
    let first: Proc | undefined
    let second: Proc | undefined
    afterAll(async () => {
      for (const p of [second, first]) if (p) await stopServer(p)
    })

    it('refuses a second server with the clear message while the first keeps serving', async () => {
      const dir = await preparedDataDir(path.join(tmp, 'namespaces'))
      const unshare = ['unshare', '--pid', '--fork', '--kill-child=SIGTERM']
      first = await startServer({ DATA_DIR: dir }, unshare)
      await waitHealthy(first)
      // Both think they are PID 1: a lock that trusts pids takes the directory over.
      expect(fs.readFileSync(path.join(dir, 'natverket.lock'), 'utf8')).toBe('1')
      second = await startServer({ DATA_DIR: dir }, unshare)
      const refused = await Promise.race([second.exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))])
      expect(refused, second.output()).toBe(1)
      expect(second.output()).toMatch(/data directory .* is in use by another server \(pid 1\)/)
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200)
    }, 60_000)
  })
})
