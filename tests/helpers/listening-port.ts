import fs from 'node:fs'

/**
 * The TCP port a process listens on, read from /proc (Linux): a server is started on port 0 and
 * the system chooses. A port found free by the test and handed to the server could be taken by
 * another process before the server listened (EADDRINUSE in CI), and /healthz then answered from
 * that other process, so the tests went on against a server that was gone.
 */
export function listeningPort(pid: number): number | undefined {
  let inodes: Set<string>
  try {
    inodes = new Set(
      fs.readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          return [/^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? []].flat()
        } catch {
          return []
        }
      }),
    )
  } catch {
    return undefined
  }
  // sl local_address rem_address st … inode: a listening socket is state 0A.
  for (const table of ['tcp', 'tcp6']) {
    let text: string
    try {
      text = fs.readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f[3] === '0A' && inodes.has(f[9]!)) return parseInt(f[1]!.split(':').at(-1)!, 16)
    }
  }
  return undefined
}
