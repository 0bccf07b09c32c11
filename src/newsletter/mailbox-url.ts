// Read by the configuration at every start: kept apart from the IMAP client (loaded only when used).

export interface Mailbox {
  host: string
  port: number
  /** imaps: TLS from the start; imap: STARTTLS, required unless the host is this machine. */
  secure: boolean
  user: string
  pass: string
  path: string
}

/** imaps://user:pass@host:993/INBOX → its parts. Errors never repeat the URL (it holds a password). */
export function parseMailboxUrl(url: string): Mailbox {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new Error('not a URL')
  }
  if (u.protocol !== 'imaps:' && u.protocol !== 'imap:') throw new Error('must start with imap:// or imaps://')
  if (!u.hostname || !u.username) throw new Error('needs a user and a host: imaps://user:pass@host/INBOX')
  const secure = u.protocol === 'imaps:'
  let path: string
  try {
    path = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX'
  } catch {
    throw new Error('the mailbox name is not valid URL encoding')
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    path,
  }
}
