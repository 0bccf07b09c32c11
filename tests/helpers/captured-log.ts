import { Writable } from 'node:stream'
import { createApp } from '../../src/app.ts'
import type { Config } from '../../src/config.ts'
import { createLogger } from '../../src/log.ts'
import { testConfig, type TestApp } from './app.ts'

/** A second app over the same database (and t's outreach, if it has one) whose log (the production logger, at debug) is kept as text. */
export function withCapturedLog(t: TestApp, config: Partial<Config> = {}) {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const app = createApp({ db: t.db, engine: t.engine, config: { ...testConfig, ...config }, log: createLogger('debug', stream), outreach: t.outreach })
  return { app, log: () => lines.join(''), clear: () => void lines.splice(0) }
}
