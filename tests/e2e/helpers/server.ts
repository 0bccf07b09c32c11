import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { listeningPort } from '../../helpers/listening-port.ts'

/** The repository root: tests/e2e/helpers → ../../.. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** A fictional administrator, created from ADMIN_EMAIL/ADMIN_PASSWORD at start. */
export const ADMIN = { email: 'anna.admin@example.se', password: 'Rödbetor och dill 2024!' } as const

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  port: number
  dataDir: string
  /** Everything the server wrote to stdout/stderr so far (LOG_LEVEL=warn: warnings and errors only). */
  output(): string
  /** SIGTERM, then the exit code (the contract says 0). Removes the data directory. */
  stop(): Promise<number | null>
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** Runs `node src/server.ts` over `dataDir` (always PGlite) and waits for /healthz to answer 200. */
async function spawnServer(dataDir: string, extraEnv: Record<string, string>, timeoutMs: number): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  // End-to-end tests always use the embedded database, whatever the environment says.
  delete env.DATABASE_URL
  delete env.TEST_DATABASE_URL
  delete env.ADMIN_EMAIL
  delete env.ADMIN_PASSWORD
  delete env.NODE_OPTIONS
  Object.assign(env, { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', TRUST_PROXY: 'false' }, extraEnv)
  const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
  const exit = exited(child)
  let early: number | null | undefined
  void exit.then((code) => (early = code))
  let port = 0
  let url = ''

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (early !== undefined) throw new Error(`The server exited with ${early} before it was healthy:\n${out}`)
    port ||= listeningPort(child.pid!) ?? 0
    url = `http://127.0.0.1:${port}`
    if (port) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
        if (res.status === 200) break
      } catch {
        // listening, not answering yet
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      await exit
      throw new Error(`The server did not become healthy within ${timeoutMs} ms:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }

  let stopped: Promise<number | null> | undefined
  return {
    url,
    port,
    dataDir,
    output: () => out,
    stop: () =>
      (stopped ??= (async () => {
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000)
        const code = await exit
        clearTimeout(killer)
        return code
      })()),
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

/**
 * Creating an embedded database (initdb in WebAssembly) takes ~4 s; opening one ~1 s. So a
 * freshly created, migrated database with no user is kept as a template in the temp directory,
 * keyed by everything that shapes it (migrations/**, src/db/**, the PGlite version), and each test file starts
 * from a copy. The server still runs its migrations and creates the admin at every start.
 * E2E_FRESH_DB=1 skips the template.
 */
export async function templateDataDir(timeoutMs: number): Promise<string> {
  const hash = createHash('sha256')
  for (const file of [...filesUnder(path.join(ROOT, 'migrations')), ...filesUnder(path.join(ROOT, 'src/db')), path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json')]) {
    hash.update(path.relative(ROOT, file)).update(fs.readFileSync(file))
  }
  hash.update(process.version)
  const root = path.join(os.tmpdir(), 'navet-e2e-templates')
  const template = path.join(root, hash.digest('hex').slice(0, 16))
  if (fs.existsSync(path.join(template, '.complete'))) return template

  fs.mkdirSync(root, { recursive: true })
  const building = fs.mkdtempSync(path.join(root, 'building-'))
  try {
    const server = await spawnServer(building, {}, timeoutMs)
    const code = await server.stop()
    if (code !== 0) throw new Error(`The template server exited with ${code}:\n${server.output()}`)
    fs.writeFileSync(path.join(building, '.complete'), new Date().toISOString())
    // Older templates are for other migrations; drop them (not directories still being built).
    for (const old of fs.readdirSync(root)) {
      if (!old.startsWith('building-') && path.join(root, old) !== template) fs.rmSync(path.join(root, old), { recursive: true, force: true })
    }
    try {
      fs.renameSync(building, template)
    } catch {
      // Another run made the same template meanwhile.
    }
  } finally {
    fs.rmSync(building, { recursive: true, force: true })
  }
  return template
}

/**
 * Starts the real server (`src/server.ts`) as a child process on a free port over its own
 * embedded database in a temporary DATA_DIR, with the admin from ADMIN_EMAIL/ADMIN_PASSWORD
 * (unless `withoutAdmin`), and waits for /healthz to answer 200.
 */
export async function startServer(opts: { timeoutMs?: number; env?: Record<string, string>; withoutAdmin?: boolean } = {}): Promise<RunningServer> {
  // A guard against a server that never starts, not a timing: a start on the template takes a few
  // seconds on a quiet machine and has taken two minutes on a loaded one (two browser files at a time).
  const timeoutMs = opts.timeoutMs ?? 170_000
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-e2e-'))
  try {
    if (process.env.E2E_FRESH_DB !== '1') {
      const template = await templateDataDir(timeoutMs)
      fs.cpSync(template, dataDir, { recursive: true, filter: (src) => path.basename(src) !== '.complete' })
    }
    // Without the admin, the first visitor creates one on /setup.
    const admin: Record<string, string> = opts.withoutAdmin ? {} : { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }
    const server = await spawnServer(dataDir, { ...opts.env, ...admin }, timeoutMs)
    const stop = server.stop
    return {
      ...server,
      stop: async () => {
        const code = await stop()
        fs.rmSync(dataDir, { recursive: true, force: true })
        return code
      },
    }
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
}
