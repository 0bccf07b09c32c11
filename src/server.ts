import { loadConfig, ConfigError } from './config.ts'
import { DataDirInUseError } from './db/data-dir-lock.ts'
import { createLogger } from './log.ts'
import { start } from './start.ts'

const config = (() => {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
})()
const log = createLogger(config.logLevel)

try {
  const running = await start(config, log)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down')
      running.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
} catch (err) {
  if (err instanceof DataDirInUseError) log.error(err.message)
  else log.error({ err }, 'could not start')
  process.exit(1)
}
