import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface Received {
  mail: ParsedMail
  raw: string
  envelope: { from: string; to: string[] }
}

/** A real SMTP server on a free port that keeps every message it accepts, parsed. */
export async function startSmtp(opts: { delayMs?: number } = {}) {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        }
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
        received.push({ mail: await simpleParser(raw), raw, envelope })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Waits until at least `n` messages have arrived (or fails after `ms`). */
    async waitFor(n: number, ms = 30_000): Promise<Received[]> {
      const until = Date.now() + ms
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} messages, got ${received.length}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      return received
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A header as sent (unfolded), from the raw message. */
export function rawHeader(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ')
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'))
  return line ? line.slice(name.length + 1).trim() : ''
}
