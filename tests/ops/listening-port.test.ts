import { spawn } from 'node:child_process'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { listeningPort } from '../helpers/listening-port.ts'

// The test servers are started on port 0 and their port read from /proc (tests/helpers/listening-port.ts).
describe('listeningPort', () => {
  const children: ReturnType<typeof spawn>[] = []
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL')
  })

  it('finds the port another process chose itself, and none for a process that does not listen', async () => {
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })`], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(child)
    const told = Number(await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d)))))
    expect(told).toBeGreaterThan(0)
    expect(listeningPort(child.pid!)).toBe(told)

    // A process holding only a client connection listens on nothing.
    const server = net.createServer().listen(0, '127.0.0.1')
    await new Promise((r) => server.once('listening', r))
    const port = (server.address() as net.AddressInfo).port
    const client = spawn(process.execPath, ['-e', `const s = require('node:net').connect(${port}, '127.0.0.1', () => console.log('on')); setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.push(client)
    await new Promise((resolve) => client.stdout!.once('data', resolve))
    expect(listeningPort(client.pid!)).toBeUndefined()
    server.close()
    expect(listeningPort(2 ** 22 + 12345)).toBeUndefined()
  })
})
