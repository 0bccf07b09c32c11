import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { Db } from './db/connect.ts'
import type { Outreach } from './newsletter/outreach.ts'
import type { SessionUser, ValidSession } from './auth/sessions.ts'
import type { Lang, Translate } from './web/i18n.ts'
import type { MessageKey } from './web/i18n/catalogue.ts'
import type { SectionRegistry } from './web/sections.ts'

export interface AppDeps {
  db: Db
  engine: 'pglite' | 'postgres'
  config: Config
  log: Logger
  /** Mail and background jobs; absent in tests that do not need them (their routes answer 503). */
  outreach?: Outreach
}

export type AppEnv = {
  Variables: {
    deps: AppDeps
    db: Db
    log: Logger
    requestId: string
    lang: Lang
    langAsked: Lang | undefined
    t: Translate
    user: SessionUser | null
    session: ValidSession | null
    flash: MessageKey | null
    roleDeclared: boolean
    /** The sections features add to record pages (web/sections.ts). */
    sections: SectionRegistry
  }
}
