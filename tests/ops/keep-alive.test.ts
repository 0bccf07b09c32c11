import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ENGINE } from '../helpers/engines.ts'
import { preparedDataDir, startServer, stopServer, waitHealthy } from '../helpers/server-process.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-keepalive-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

/** GET path over the agent: the status and whether the agent reused an open connection. */
function get(agent: http.Agent, url: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }))
    })
    req.on('error', reject)
  })
}

// The HTTP server's settings do not depend on the engine: one pass is enough.
describe.runIf(ENGINE === 'pglite')('keep-alive connections', () => {
  it('stay open while a client is idle longer than Node’s 5 s default, so a proxy reusing them finds them open', { timeout: 120_000 }, async () => {
    const p = await startServer({ DATA_DIR: await preparedDataDir(dataDir) })
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      await waitHealthy(p)
      expect(await get(agent, `${p.url}/healthz`)).toEqual({ status: 200, reused: false })
      // Idle past Node's default keepAliveTimeout (5 s) and its 1 s grace.
      await new Promise((r) => setTimeout(r, 6_500))
      expect(await get(agent, `${p.url}/healthz`)).toEqual({ status: 200, reused: true })
    } finally {
      agent.destroy()
      await stopServer(p)
    }
  })
})
