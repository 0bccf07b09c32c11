import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './server-process.ts'

/** Debian's dovecot (`apt-get install dovecot-imapd`; .ci/run installs it). */
export const DOVECOT = '/usr/sbin/dovecot'
export const hasDovecot = () => fs.existsSync(DOVECOT)


const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect(port, '127.0.0.1')
    c.once('data', () => (c.destroy(), resolve(true)))
    c.once('error', () => resolve(false))
  })

export interface Imap {
  host: string
  port: number
  user: string
  password: string
  url: string
  log: () => string
  close: () => Promise<void>
}

/**
 * A real IMAP server: dovecot on a free loopback port with its own configuration, one user
 * (plain password, no TLS) and maildirs in a temporary directory, stopped and removed by close().
 */
export async function startImap(user = 'bounces', password = 'hemligt-lösen-42', attempt = 1): Promise<Imap> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navet-imap-'))
  // The auth process runs as dovecot's own user and must read the password file.
  fs.chmodSync(dir, 0o755)
  const port = await freePort()
  const me = os.userInfo().username
  // Dovecot never gives mail access as root: under root (CI) the mail belongs to `nobody`.
  const root = process.getuid!() === 0
  const uid = root ? 65534 : process.getuid!()
  const gid = root ? 65534 : process.getgid!()
  for (const sub of ['mail', 'home']) {
    fs.mkdirSync(path.join(dir, sub))
    if (root) fs.chownSync(path.join(dir, sub), uid, gid)
  }
  fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 })
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `first_valid_uid = ${uid}`,
    `first_valid_gid = ${gid}`,
    // Not root: every process runs as this user (dovecot's own accounts need root to switch to).
    ...(root ? [] : [`default_internal_user = ${me}`, `default_login_user = ${me}`]),
    `mail_location = maildir:${dir}/mail/%u`,
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
    `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${dir}/home/%u\n}`,
    `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
    '',
  ].join('\n'))
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += String(d)))
  child.stderr!.on('data', (d) => (output += String(d)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const until = Date.now() + 20_000
  while (!(await reachable(port))) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL')
      const log = fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : ''
      fs.rmSync(dir, { recursive: true, force: true })
      // The free port was taken before dovecot listened (freePort): once more on another.
      if (/Address already in use/.test(output + log) && attempt < 3) return startImap(user, password, attempt + 1)
      throw new Error(`dovecot did not start: ${output}\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    /** imap://user:password@127.0.0.1:port/INBOX */
    url: `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX`,
    log: () => fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8'),
    async close() {
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
